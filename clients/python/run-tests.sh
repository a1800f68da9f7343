#!/usr/bin/env bash
# Runs the Python client's tests against the real binary (WORKBOOK_BIN, default
# <repo>/.build/debug/workbook) in a venv of their own (.venv-tests/, gitignored): pytest, the two
# interop libraries, mypy --strict on the library and the example. A missing python3-venv skips
# locally and fails when CI=true.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
export WORKBOOK_BIN=${WORKBOOK_BIN:-$repo/.build/debug/workbook}
venv=${WORKBOOK_PY_VENV:-$here/.venv-tests}
python=${PYTHON:-python3}

summary() {
    printf 'clients/python: %s\n' "$1"
}

if ! "$python" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    if [[ ${CI:-} == true ]]; then
        summary "0 passed, 1 failed (need python3 >= 3.10 with venv: apt-get install python3-venv)"
        exit 1
    fi
    summary "0 passed, 0 failed, 1 skipped (python3 >= 3.10 with venv is not available)"
    exit 0
fi
if [[ ! -x $WORKBOOK_BIN ]]; then
    summary "0 passed, 1 failed (no workbook binary at $WORKBOOK_BIN: swift build, or set WORKBOOK_BIN)"
    exit 1
fi

if [[ ! -x $venv/bin/python ]]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "pytest>=7" "mypy>=1.8" "python-lsp-jsonrpc>=1.1" "jsonrpcclient>=4"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e "$here"

cd "$here"
limit=${WORKBOOK_TEST_TIMEOUT:-600}
status=0
mypy_status=0
# mypy --strict counts as one test. Each step has a timeout: a hang fails instead of stalling CI.
timeout --kill-after=10 "$limit" "$venv/bin/python" -m mypy --strict src examples || mypy_status=$?
report=$(mktemp)
trap 'rm -f "$report"' EXIT
timeout --kill-after=10 "$limit" "$venv/bin/python" -m pytest -q -rs --junitxml="$report" tests || status=$?
((status == 124 || status == 137)) && echo "pytest timed out after ${limit}s"

counts=$("$venv/bin/python" - "$report" "$mypy_status" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root if root.tag == "testsuite" else root.find("testsuite")
total, failures, errors, skipped = (int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
passed = total - failures - errors - skipped
failed = failures + errors + (total == 0)  # no test collected is never a pass
if sys.argv[2] == "0":
    passed += 1
else:
    failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
EOF
) || counts="0 passed, 1 failed, 0 skipped (no test report)"
((mypy_status == 0)) || status=$mypy_status
[[ $counts == *" 0 failed,"* ]] || ((status != 0)) || status=1
summary "$counts"
exit "$status"
