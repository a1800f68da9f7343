#!/usr/bin/env bash
# Every test of the project: the Swift suites (unit tests and end-to-end tests on the real binary,
# a real socket and a real SQLite file), then each client's suite against the same binary.
# Prints each suite's summary and, last, one line "N passed, N failed" over everything.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== swift test"
swift build --build-tests || { echo "0 passed, 1 failed"; exit 1; }
swift test 2>&1 | tee "$log"
swift_rc=${PIPESTATUS[0]}
summary=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with" "$log" | tail -n 1)
executed=$(grep -oE "Executed [0-9]+" <<<"$summary" | grep -oE "[0-9]+")
xfail=$(grep -oE "[0-9]+ failures?" <<<"$summary" | grep -oE "[0-9]+")
xskip=$(grep -oE "[0-9]+ tests? skipped" <<<"$summary" | grep -oE "[0-9]+")
executed=${executed:-0} xfail=${xfail:-0} xskip=${xskip:-0}
passed=$((passed + executed - xfail - xskip)); failed=$((failed + xfail)); skipped=$((skipped + xskip))
[ "$swift_rc" -eq 0 ] || [ "$xfail" -gt 0 ] || failed=$((failed + 1))

WORKBOOK_BIN="$(swift build --show-bin-path)/workbook"
export WORKBOOK_BIN

# Each client suite ends with a line "NAME: N passed, N failed[, N skipped]" and exits non-zero on
# failure. A listed suite that is missing or not executable, that prints no such line or that ran
# no test at all is a failure: a suite must never pass by not running. The bench smoke run is one
# check without a summary line: it passes when it exits 0.
for suite in scripts/bench-smoke.sh clients/shell/run-tests.sh clients/python/run-tests.sh \
             clients/nvim/run-tests.sh clients/emacs/run-tests.sh clients/web/tests/run.sh; do
    echo "== $suite"
    if [ ! -x "$suite" ]; then
        echo "$suite: missing or not executable"; failed=$((failed + 1)); continue
    fi
    # A last resort against a hang (each runner has its own, shorter timeouts).
    timeout --kill-after=30 1800 "$suite" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    if [ "$suite" = scripts/bench-smoke.sh ]; then
        if [ "$rc" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "$suite exited $rc"; fi
        continue
    fi
    line=$(grep -E "^[^ ]+: .*[0-9]+ passed" "$log" | tail -n 1)
    p=$(grep -oE "[0-9]+ passed" <<<"$line" | grep -oE "[0-9]+" || echo 0)
    f=$(grep -oE "[0-9]+ failed" <<<"$line" | grep -oE "[0-9]+" || echo 0)
    s=$(grep -oE "[0-9]+ skipped" <<<"$line" | grep -oE "[0-9]+" || echo 0)
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    if [ -z "$line" ]; then
        failed=$((failed + 1)); echo "$suite printed no summary line (exit $rc)"
    elif [ $((p + f + s)) -eq 0 ]; then
        failed=$((failed + 1)); echo "$suite ran no tests"
    elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        failed=$((failed + 1)); echo "$suite exited $rc"
    fi
done

echo
echo "all suites: $passed passed, $failed failed, $skipped skipped"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
