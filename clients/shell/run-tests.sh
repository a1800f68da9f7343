#!/usr/bin/env bash
# Runs the shell client's tests (bats) against the real binary: WORKBOOK_BIN, default
# <repo>/.build/debug/workbook. Missing tools skip locally and fail when CI=true.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
export WORKBOOK_BIN=${WORKBOOK_BIN:-$repo/.build/debug/workbook}

summary() {
    printf 'clients/shell: %s\n' "$1"
}

missing=()
for tool in bats socat jq shellcheck tmux systemd-analyze; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
    if [[ ${CI:-} == true ]]; then
        summary "0 passed, 1 failed (missing ${missing[*]}: apt-get install ${missing[*]})"
        exit 1
    fi
    printf 'note: missing %s; the tests that need them are skipped\n' "${missing[*]}" >&2
fi
if ! command -v bats >/dev/null 2>&1; then
    summary "0 passed, 0 failed, 1 skipped (bats is not installed: apt-get install bats)"
    exit 0
fi
if [[ ! -x $WORKBOOK_BIN ]]; then
    summary "0 passed, 1 failed (no workbook binary at $WORKBOOK_BIN: swift build, or set WORKBOOK_BIN)"
    exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# A hang (a server that never answers, a test that never ends) fails instead of stalling CI.
timeout --kill-after=10 "${WORKBOOK_TEST_TIMEOUT:-600}" bats --tap "$here/tests" | tee "$log" || status=$?
((status == 124 || status == 137)) && printf 'bats timed out after %ss\n' "${WORKBOOK_TEST_TIMEOUT:-600}"

ran=$(grep -cE '^(not )?ok [0-9]+ ' "$log" || true)
skipped=$(grep -cE '^ok [0-9]+ .*# skip' "$log" || true)
failed=$(grep -cE '^not ok ' "$log" || true)
passed=$(($(grep -cE '^ok [0-9]+ ' "$log" || true) - skipped))
if ((ran == 0)); then
    # bats with no test files (or none found) prints 1..0 and exits 0: never a pass.
    printf 'no bats test ran\n'
    failed=$((failed + 1))
    status=1
fi
((status == 0)) || ((failed > 0)) || failed=1
summary "$passed passed, $failed failed, $skipped skipped"
exit "$status"
