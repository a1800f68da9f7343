#!/bin/sh
# ERT tests of workbook.el in `emacs --batch` against the real `workbook` binary.
# WORKBOOK_BIN names the binary (default: `workbook` on PATH, else the repo's .build/debug).
# Without emacs the tests are skipped, except in CI (CI=true), where that is a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v emacs >/dev/null 2>&1; then
    [ "${CI:-}" = "true" ] && { echo "emacs: FAIL: emacs is not installed (apt-get install emacs-nox)"; exit 1; }
    echo "emacs: SKIP: emacs is not installed (apt-get install emacs-nox)"; exit 0
fi
WORKBOOK_BIN=${WORKBOOK_BIN:-$(command -v workbook || echo "$here/../../.build/debug/workbook")}
export WORKBOOK_BIN
[ -x "$WORKBOOK_BIN" ] || { echo "emacs: FAIL: no workbook binary at $WORKBOOK_BIN (set WORKBOOK_BIN)"; exit 1; }
emacs --version | head -n 1
log=$(mktemp)
timeout 300 emacs --batch -Q -L "$here" -l "$here/tests/workbook-tests.el" -f ert-run-tests-batch-and-exit 2>&1 | tee "$log"
status=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\}, \([0-9]*\) results\{0,1\} as expected, \([0-9]*\) unexpected.*/\2 \3/p' "$log")
rm -f "$log"
if [ -z "$status" ]; then echo "emacs: 0 passed, 1 failed (the run stopped early)"; exit 1; fi
set -- $status
echo "emacs: $1 passed, $2 failed"
[ "$2" -eq 0 ]
