#!/usr/bin/env bash
# Command-line flood benchmark (DESIGN.md, "Performance budget"): wsinspector-cli printing one JSON
# line per frame must receive a flood of small messages at least as fast as a bare Node.js `ws`
# client that only counts them. Both clients take turns against the same flood server
# (floodserver: N 64-byte text messages as pre-built frames, then close 1000); each runs RUNS times
# and the median wall time counts.
#
# Then the GUI pipeline benchmark (bench_gui) against the same flood.
#
#   tests/bench/run-benchmarks.sh BUILD_DIR        (make bench)
#   env: MESSAGES (default 1000000), RUNS (default 3)
set -euo pipefail

build=${1:?usage: run-benchmarks.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
messages=${MESSAGES:-1000000}
runs=${RUNS:-3}
cli=$build/app/wsinspector-cli
flood=$build/tests/bench/floodserver
node=$(command -v nodejs || command -v node || true)

for f in "$cli" "$flood"; do
    [[ -x $f ]] || { echo "run-benchmarks: $f is missing; build first (make build)" >&2; exit 2; }
done
[[ -n $node ]] || { echo "run-benchmarks: nodejs is not installed (scripts/install-deps.sh)" >&2; exit 2; }
export NODE_PATH=/usr/share/nodejs

work=$(mktemp -d)
server_pid=
cleanup() {
    if [[ -n $server_pid ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

"$flood" --port 0 --count "$messages" --size 64 >"$work/flood.out" 2>"$work/flood.err" &
server_pid=$!
for _ in $(seq 100); do
    grep -q '^PORT ' "$work/flood.out" 2>/dev/null && break
    sleep 0.05
done
port=$(awk '/^PORT /{print $2}' "$work/flood.out")
[[ -n $port ]] || { echo "run-benchmarks: flood server did not start: $(cat "$work/flood.err")" >&2; exit 1; }
url="ws://127.0.0.1:$port/"

now_ns() { date +%s%N; }

# Untimed check that both clients really receive every message.
got=$("$cli" --format jsonl "$url" | grep -c '"dir":"in","kind":"frame".*"type":"text"' || true)
[[ $got == "$messages" ]] || { echo "run-benchmarks: wsinspector-cli received $got of $messages messages" >&2; exit 1; }
got=$("$node" "$here/node_count_client.js" "$url" | sed -n 's/.*"messages":\([0-9]*\).*/\1/p')
[[ $got == "$messages" ]] || { echo "run-benchmarks: node client received $got of $messages messages" >&2; exit 1; }

# Prints the wall time of one run in nanoseconds; fails if the client does.
time_cli() {
    local start end
    start=$(now_ns)
    "$cli" --format jsonl "$url" >/dev/null || { echo "run-benchmarks: wsinspector-cli failed" >&2; return 1; }
    end=$(now_ns)
    echo $((end - start))
}
time_node() {
    local start end
    start=$(now_ns)
    "$node" "$here/node_count_client.js" "$url" >/dev/null || { echo "run-benchmarks: node client failed" >&2; return 1; }
    end=$(now_ns)
    echo $((end - start))
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

cli_times=()
node_times=()
for _ in $(seq "$runs"); do
    t=$(time_cli) || exit 1
    cli_times+=("$t")
    t=$(time_node) || exit 1
    node_times+=("$t")
done
cli_ns=$(median "${cli_times[@]}")
node_ns=$(median "${node_times[@]}")

awk -v n="$messages" -v runs="$runs" -v c="$cli_ns" -v d="$node_ns" \
    -v call="${cli_times[*]}" -v dall="${node_times[*]}" 'BEGIN {
    printf "CLI flood benchmark: %d text messages of 64 bytes, median of %d runs\n\n", n, runs
    printf "%-44s %10s %14s\n", "client", "wall (s)", "messages/s"
    printf "%-44s %10.3f %14.0f\n", "wsinspector-cli --format jsonl > /dev/null", c / 1e9, n / (c / 1e9)
    printf "%-44s %10.3f %14.0f\n", "node ws client (count only)", d / 1e9, n / (d / 1e9)
    printf "\nratio (wsinspector-cli / node throughput): %.2f\n", d / c
    split(call, ca, " "); split(dall, da, " ")
    printf "runs (s): cli"; for (i = 1; i <= runs; i++) printf " %.3f", ca[i] / 1e9
    printf "; node"; for (i = 1; i <= runs; i++) printf " %.3f", da[i] / 1e9
    printf "\n"
}'

status=0
if ((cli_ns > node_ns)); then
    echo "FAIL: wsinspector-cli is slower than the node ws client" >&2
    status=1
else
    echo "PASS: wsinspector-cli is at least as fast as the node ws client"
fi

# The window's pipeline (engine -> capture -> model -> view), offscreen, against the same flood.
echo
"$build/tests/bench/bench_gui" --count "$messages" --floodserver "$flood" || status=1
exit $status
