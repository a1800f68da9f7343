#!/usr/bin/env bash
# Long crash-durability run (RELIABILITY.md, area 1): saves pipelined over the socket while the server
# is SIGKILLed at random moments, restarted and checked (acknowledged saves present byte for byte,
# revisions without gaps, integrity_check ok) after every kill. Stops by itself.
#   scripts/crash-loop.sh [KILLS]        default 25 kills; WORKBOOK_SEED=N replays a run
# Prints the figures as "RELIABILITY crash: ..." and exits non-zero on any loss.
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-25}"
build="${BUILD:-.build-rel}"
swift build --build-tests --scratch-path "$build" >/dev/null
WORKBOOK_CRASH_KILLS="$kills" timeout "${TIMEOUT:-1200}" \
    swift test --skip-build --scratch-path "$build" --filter 'ReliabilityTests.CrashDurabilityTests' 2>&1 \
    | grep -E "RELIABILITY|error:|Executed [0-9]+ test" | head -50
exit "${PIPESTATUS[0]}"
