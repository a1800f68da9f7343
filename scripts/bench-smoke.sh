#!/usr/bin/env bash
# Smoke run of the benchmark tool (debug build, a few seconds): it must build, drive a real server
# over its socket with every method of the mix, get no errors, and print a report that parses.
# Part of the README test command so the tool cannot rot. Numbers from a debug build mean nothing.
# Usage: scripts/bench-smoke.sh [scratch-path]   (default .build; builds if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH="${1:-${SCRATCH:-.build}}"
swift build --scratch-path "$SCRATCH" --product workbook >/dev/null
swift build --scratch-path "$SCRATCH" --product workbook-bench >/dev/null
BIN="$(swift build --scratch-path "$SCRATCH" --show-bin-path)"
TMP="$(mktemp -d)"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

# A small generated database, opened by the real server.
"$BIN/workbook-bench" generate --answers 220 --revisions 660 "$TMP/db.sqlite"
"$BIN/workbook" serve --socket "$TMP/wb.sock" --database "$TMP/db.sqlite" --log-level error &
SERVER_PID=$!
for _ in $(seq 100); do [ -S "$TMP/wb.sock" ] && break; sleep 0.05; done

"$BIN/workbook-bench" load --socket "$TMP/wb.sock" --server-pid "$SERVER_PID" \
  --mix server.ping=4,progress.get=2,prompts.get=1,search=1,answers.save=1,answers.saveMany=1 --items 5 \
  --connections 4 --window 4 --duration 2 --warmup 0.2 --json > "$TMP/report.json"
python3 - "$TMP/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
methods = {"server.ping", "progress.get", "prompts.get", "search", "answers.save", "answers.saveMany"}
assert r["errors"] == 0, r
assert r["completed"] > 0 and r["throughput"] > 0, r
assert set(r["perMethod"]) == methods, r["perMethod"].keys()
for m, l in r["perMethod"].items():
    assert l["count"] > 0 and 0 < l["p50"] <= l["p99"] <= l["p999"] <= l["max"], (m, l)
assert r["serverPeakRSSMB"] and r["serverPeakRSSMB"] > 0, r
print(f"bench smoke: {r['completed']} replies, 0 errors, {r['throughput']:.0f}/s (debug build)")
PY

# The storage floor and the echo floor run too.
"$BIN/workbook-bench" floor --database "$TMP/db.sqlite" --method progress.get --iterations 50 | grep -q "progress.get floor"
"$BIN/workbook-bench" echo-server --kind raw --socket "$TMP/echo.sock" &
ECHO_PID=$!
for _ in $(seq 100); do [ -S "$TMP/echo.sock" ] && break; sleep 0.05; done
"$BIN/workbook-bench" load --socket "$TMP/echo.sock" --connections 2 --window 2 --duration 0.5 --warmup 0 --json \
  | python3 -c 'import json,sys; r=json.load(sys.stdin); assert r["errors"]==0 and r["completed"]>0, r'
kill "$ECHO_PID"
echo "bench smoke: ok"
