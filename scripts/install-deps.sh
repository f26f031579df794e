#!/usr/bin/env bash
# Installs the Debian packages of the named lists (scripts/packages/NAME.txt) that are not
# installed yet: `install-deps.sh run` for building and running, `install-deps.sh run test` for the
# tests too. Checks first and calls apt-get only when something is missing, so repeated runs are
# instant.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[[ $# -gt 0 ]] || set -- run
wanted=()
for list in "$@"; do
    file="$here/packages/$list.txt"
    [[ -f $file ]] || { echo "install-deps: no package list $file" >&2; exit 2; }
    mapfile -t -O "${#wanted[@]}" wanted < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$file")
done

missing=()
for pkg in "${wanted[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing missing Debian packages: ${missing[*]}"
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    # sudo drops DEBIAN_FRONTEND: pass it through, or debconf asks (tshark's wireshark-common does).
    if command -v sudo >/dev/null; then sudo=(sudo env DEBIAN_FRONTEND=noninteractive); else
        echo "error: not root and no sudo; install these packages as root: ${missing[*]}" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q </dev/null
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
