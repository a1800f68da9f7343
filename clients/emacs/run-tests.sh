#!/bin/sh
# ERT tests of workbook.el in `emacs --batch` against the real `workbook` binary.
# WORKBOOK_BIN names the binary (default: `workbook` on PATH, else the repo's .build/debug).
# Without emacs the tests are skipped, except in CI (CI=true), where that is a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v emacs >/dev/null 2>&1; then
    [ "${CI:-}" = "true" ] && { echo "emacs: 0 passed, 1 failed (emacs is not installed: apt-get install emacs-nox)"; exit 1; }
    echo "emacs: 0 passed, 0 failed, 1 skipped (emacs is not installed: apt-get install emacs-nox)"; exit 0
fi
WORKBOOK_BIN=${WORKBOOK_BIN:-$(command -v workbook || echo "$here/../../.build/debug/workbook")}
export WORKBOOK_BIN
[ -x "$WORKBOOK_BIN" ] || { echo "emacs: 0 passed, 1 failed (no workbook binary at $WORKBOOK_BIN: set WORKBOOK_BIN)"; exit 1; }
emacs --version | head -n 1
log=$(mktemp)
timeout 300 emacs --batch -Q -L "$here" -l "$here/tests/workbook-tests.el" -f ert-run-tests-batch-and-exit >"$log" 2>&1
code=$?
cat "$log"
# "Ran N tests, E results as expected, U unexpected[, S skipped] (...)": N = E + U + S.
status=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\}, \([0-9]*\) results\{0,1\} as expected, \([0-9]*\) unexpected\(, \([0-9]*\) skipped\)\{0,1\}.*/\1 \2 \3 \5/p' "$log" | tail -n 1)
rm -f "$log"
if [ -z "$status" ]; then echo "emacs: 0 passed, 1 failed (the run stopped early, exit $code)"; exit 1; fi
# shellcheck disable=SC2086 # split into the four numbers on purpose
set -- $status
total=$1 failed=$3 skipped=${4:-0}
passed=$2
if [ "$total" -eq 0 ]; then echo "emacs: 0 passed, 1 failed (no test ran)"; exit 1; fi
# A non-zero exit with no unexpected result (a crash after the summary, the timeout) is a failure too.
if [ "$code" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "emacs exited $code"; fi
echo "emacs: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$code" -eq 0 ]
