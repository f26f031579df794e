#!/usr/bin/env bash
# Starts the GUI; without a display, says how to run it instead of failing with a bare Qt error.
set -euo pipefail
exe=$1; shift
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
    cat >&2 <<MSG
No display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open here.
  - On a desktop session, run:      make run
  - Without a desktop, use Xvfb:    xvfb-run -a $exe $*
  - Or use the command-line tool:   $(dirname "$exe")/wsinspector-cli --serve 8080
                                    $(dirname "$exe")/wsinspector-cli ws://127.0.0.1:8080 --send hello --close 1000
MSG
    exit 1
fi
exec "$exe" "$@"
