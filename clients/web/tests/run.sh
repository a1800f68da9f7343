#!/usr/bin/env bash
# Runs the browser tests: makes (or reuses) a venv with selenium + pytest, then pytest.
# Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian: apt-get install chromium chromium-driver)
# and a built binary (.build/debug/workbook, or WORKBOOK_BIN). Extra arguments go to pytest.
# Without chromium/selenium the tests skip, except with CI=true, where they fail.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${WEB_TEST_VENV:-$here/../.venv}"
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import selenium, pytest" 2>/dev/null; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check "selenium>=4.20" "pytest>=8"
fi
cd "$here"
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider "$@" .
