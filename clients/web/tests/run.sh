#!/usr/bin/env bash
# Runs the browser tests: makes (or reuses) a venv with selenium + pytest, then pytest.
# Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian: apt-get install chromium chromium-driver)
# and a built binary (.build/debug/workbook, or WORKBOOK_BIN). Extra arguments go to pytest.
# Without chromium/selenium the tests skip, except with CI=true, where they fail.
# Ends with one line "clients/web: N passed, N failed, N skipped" (from pytest's JUnit report).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${WEB_TEST_VENV:-$here/../.venv}"
summary() {
    printf 'clients/web: %s\n' "$1"
}
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    if [[ ${CI:-} == true ]]; then
        summary "0 passed, 1 failed (python3-venv is missing: apt-get install python3-venv)"
        exit 1
    fi
    summary "0 passed, 0 failed, 1 skipped (python3-venv is missing)"
    exit 0
fi
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import selenium, pytest" 2>/dev/null; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check "selenium>=4.20" "pytest>=8"
fi
cd "$here"
limit=${WORKBOOK_TEST_TIMEOUT:-600}
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
# A hang (a browser or server that never answers) fails instead of stalling CI.
timeout --kill-after=10 "$limit" "$venv/bin/python" -m pytest -q -rs -p no:cacheprovider \
    --junitxml="$report" "$@" . || status=$?
((status == 124 || status == 137)) && echo "pytest timed out after ${limit}s"

counts=$("$venv/bin/python" - "$report" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root if root.tag == "testsuite" else root.find("testsuite")
total, failures, errors, skipped = (int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
failed = failures + errors + (total == 0)  # no test collected is never a pass
print(f"{total - failures - errors - skipped} passed, {failed} failed, {skipped} skipped")
EOF
) || counts="0 passed, 1 failed, 0 skipped (no test report)"
[[ $counts == *" 0 failed,"* ]] || ((status != 0)) || status=1
summary "$counts"
exit "$status"
