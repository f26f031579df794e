#!/usr/bin/env bash
# Installs the npm packages of the test peers (tests/package.json, pinned by tests/package-lock.json)
# into tests/node_modules with `npm ci`. make test runs it after install-deps.sh (which brings
# Node.js); it runs npm ci only when tests/node_modules is missing or the lock file changed since
# the last install (a stamp in tests/node_modules), so repeated runs are instant. Never prompts,
# works as root, runs no package's install scripts (none of these packages needs one). Nothing
# is fetched while a test runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tests=$(cd "$here/../tests" && pwd)
stamp="$tests/node_modules/.package-lock.sha256"

want=$(cat "$tests/package.json" "$tests/package-lock.json" | sha256sum | cut -d' ' -f1)
[[ -f $stamp && $(cat "$stamp") == "$want" ]] && exit 0

# Debian ships npm apart from nodejs; a Node.js from elsewhere (NodeSource) brings its own npm, and
# then Debian's must not be installed over it.
if ! command -v npm >/dev/null; then
    "$here/install-deps.sh" npm
fi

echo "Installing the test peers' npm packages (tests/package-lock.json) with npm ci"
start=$(date +%s)
(
    cd "$tests"
    export CI=true npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
    npm ci --ignore-scripts --no-audit --no-fund --no-progress --loglevel=error </dev/null
)
echo "$want" >"$stamp"
echo "npm ci took $(($(date +%s) - start)) s"
