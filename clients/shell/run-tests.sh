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
for tool in bats socat jq shellcheck; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
    if [[ ${CI:-} == true ]]; then
        summary "FAILED: missing ${missing[*]} (apt-get install ${missing[*]})"
        exit 1
    fi
    printf 'note: missing %s; the tests that need them are skipped\n' "${missing[*]}" >&2
fi
if ! command -v bats >/dev/null 2>&1; then
    summary "SKIPPED: bats is not installed (apt-get install bats)"
    exit 0
fi
if [[ ! -x $WORKBOOK_BIN ]]; then
    summary "FAILED: no workbook binary at $WORKBOOK_BIN (swift build, or set WORKBOOK_BIN)"
    exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
bats --tap "$here/tests" | tee "$log" || status=$?

passed=$(grep -cE '^ok [0-9]+ ' "$log" || true)
skipped=$(grep -cE '^ok [0-9]+ .*# skip' "$log" || true)
failed=$(grep -cE '^not ok ' "$log" || true)
passed=$((passed - skipped))
if ((status == 0)); then
    summary "OK: $passed passed, $skipped skipped, $failed failed"
else
    summary "FAILED: $passed passed, $skipped skipped, $failed failed"
fi
exit "$status"
