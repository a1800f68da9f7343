#!/bin/sh
# Headless tests of workbook.nvim against the real `workbook` binary.
# WORKBOOK_BIN names the binary (default: `workbook` on PATH, else the repo's .build/debug).
# Without nvim the tests are skipped, except in CI (CI=true), where that is a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if ! command -v nvim >/dev/null 2>&1; then
    if [ "${CI:-}" = "true" ]; then echo "nvim: 0 passed, 1 failed (nvim is not installed: apt-get install neovim)"; exit 1; fi
    echo "nvim: 0 passed, 0 failed, 1 skipped (nvim is not installed: apt-get install neovim)"; exit 0
fi
bin=${WORKBOOK_BIN:-$(command -v workbook || echo "$root/.build/debug/workbook")}
[ -x "$bin" ] || { echo "nvim: 0 passed, 1 failed (no workbook binary at $bin: set WORKBOOK_BIN)"; exit 1; }
nvim --version | head -n 1
out=$(mktemp)
WORKBOOK_BIN=$bin timeout 300 nvim --headless -u NONE -i NONE -n --cmd "set rtp^=$here" \
    -c "luafile $here/tests/workbook_spec.lua" >"$out" 2>&1
status=$?
cat "$out"
# The harness prints the summary; a crash before it must still end in one.
grep -q '^nvim: [0-9]* passed, [0-9]* failed$' "$out" || { echo "nvim: 0 passed, 1 failed (the run stopped early, exit $status)"; status=1; }
# Zero tests run is never a pass.
if grep -q '^nvim: 0 passed, 0 failed$' "$out"; then echo "nvim: 0 passed, 1 failed (no test ran)"; status=1; fi
rm -f "$out"
exit $status
