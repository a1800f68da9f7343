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
        summary "FAILED: need python3 >= 3.10 with venv (apt-get install python3-venv)"
        exit 1
    fi
    summary "SKIPPED: python3 >= 3.10 with venv is not available"
    exit 0
fi
if [[ ! -x $WORKBOOK_BIN ]]; then
    summary "FAILED: no workbook binary at $WORKBOOK_BIN (swift build, or set WORKBOOK_BIN)"
    exit 1
fi

if [[ ! -x $venv/bin/python ]]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "pytest>=7" "mypy>=1.8" "python-lsp-jsonrpc>=1.1" "jsonrpcclient>=4"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e "$here"

cd "$here"
status=0
"$venv/bin/python" -m mypy --strict src examples || status=$?
report=$(mktemp)
trap 'rm -f "$report"' EXIT
"$venv/bin/python" -m pytest -q -rs --junitxml="$report" tests || status=$?

counts=$("$venv/bin/python" - "$report" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root if root.tag == "testsuite" else root.find("testsuite")
total, failed, errors, skipped = (int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
print(f"{total - failed - errors - skipped} passed, {skipped} skipped, {failed + errors} failed")
EOF
) || counts="no test report"
if ((status == 0)); then
    summary "OK: $counts (mypy --strict clean)"
else
    summary "FAILED: $counts (see above; mypy and pytest both run)"
fi
exit "$status"
