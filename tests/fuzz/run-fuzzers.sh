#!/usr/bin/env bash
# Runs the libFuzzer targets of a fuzz build (make fuzz) for FUZZ_SECONDS each (default 60), every
# one on a copy of its corpus in BUILD_DIR/fuzz-run/<target>/, and stops at the first failure with
# the path of the input that broke it.
# Usage: run-fuzzers.sh BUILD_DIR [TARGET...]   (no TARGET: every folder of tests/fuzz/corpus)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[[ $# -ge 1 ]] || { echo "usage: $0 BUILD_DIR [TARGET...]" >&2; exit 2; }
build=$(cd "$1" && pwd)
shift
seconds=${FUZZ_SECONDS:-60}
if [[ $# -gt 0 ]]; then targets=("$@"); else mapfile -t targets < <(ls "$here/corpus"); fi

# Qt's libraries are not instrumented, and LeakSanitizer reports the memory they keep for the
# process's lifetime (static data, the locale) as leaks when a target exits, which libFuzzer then
# treats as a crash; those are not ours, so leak detection is off. ASan still catches every
# overflow and use-after-free in our code, and UBSan stops at the first undefined behaviour.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export QT_QPA_PLATFORM=offscreen

summary=()
for target in "${targets[@]}"; do
    binary=$build/tests/fuzz/$target
    seeds=$here/corpus/$target
    [[ -x $binary ]] || { echo "fuzz: no target $binary (build the fuzz preset first)" >&2; exit 2; }
    [[ -d $seeds ]] || { echo "fuzz: no corpus $seeds" >&2; exit 2; }
    run=$build/fuzz-run/$target
    rm -rf "$run"
    mkdir -p "$run/corpus" "$run/artifacts"
    cp "$seeds"/* "$run/corpus/"
    options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -detect_leaks=0 -print_final_stats=1
        -artifact_prefix="$run/artifacts/")
    [[ -f $here/$target.dict ]] && options+=(-dict="$here/$target.dict")

    echo "fuzz: $target for ${seconds}s on a copy of tests/fuzz/corpus/$target ($(ls "$seeds" | wc -l) inputs)"
    status=0
    "$binary" "${options[@]}" "$run/corpus" >"$run/log.txt" 2>&1 || status=$?
    if [[ $status -ne 0 ]]; then
        tail -n 40 "$run/log.txt" >&2
        input=$(ls -t "$run/artifacts"/* 2>/dev/null | head -n 1 || true)
        echo >&2
        echo "fuzz: $target FAILED (exit $status); the whole log is $run/log.txt" >&2
        if [[ -n $input ]]; then
            echo "fuzz: the input that broke it: $input" >&2
            echo "fuzz: replay it with: $binary $input" >&2
            echo "fuzz: shrink it with: $binary -minimize_crash=1 -runs=100000 $input" >&2
        fi
        exit 1
    fi
    stat() { sed -n "s/^stat::$1: *//p" "$run/log.txt" | tail -n 1; }
    coverage=$(grep -o 'cov: [0-9]*' "$run/log.txt" | tail -n 1 || true)
    line=$(printf '%-26s %12s runs %8s/s  %s, %s new inputs' "$target" "$(stat number_of_executed_units)" \
        "$(stat average_exec_per_sec)" "${coverage:-cov: ?}" "$(stat new_units_added)")
    echo "fuzz: $line"
    summary+=("$line")
done

echo
echo "fuzz: no failures (${seconds}s per target):"
printf '  %s\n' "${summary[@]}"
echo "New inputs are in $build/fuzz-run/<target>/corpus; to keep those that reach new code, see"
echo "\"Adding a corpus file\" in tests/fuzz/README.md."
