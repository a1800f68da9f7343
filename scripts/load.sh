#!/usr/bin/env bash
# Long load run (RELIABILITY.md, area 5): N connections (default 64) pipelining saves and reads for
# SECONDS (default 60); every request must get exactly one correct reply, peak RSS is reported and
# the database must hold exactly the acknowledged saves afterwards. Unix socket only; stops by itself.
#   scripts/load.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
connections="${2:-64}"
build="${BUILD:-.build-rel}"
swift build --build-tests --scratch-path "$build" >/dev/null
WORKBOOK_LOAD_SECONDS="$seconds" WORKBOOK_LOAD_CONNECTIONS="$connections" timeout $((seconds * 3 + 120)) \
    swift test --skip-build --scratch-path "$build" --filter 'ReliabilityTests.LoadTests' 2>&1 \
    | grep -E "RELIABILITY|error:|Executed [0-9]+ test" | head -50
exit "${PIPESTATUS[0]}"
