#!/usr/bin/env bash
# Server CPU time per request: starts BIN on a fresh copy of DB, sends 20 warm-up requests, then N
# more with `workbook-bench load`, and divides the server's utime+stime (/proc/PID/stat) by N.
# Steadier than throughput on a noisy machine; alternate two binaries over several rounds.
# Usage: scripts/bench-cpu.sh BIN DB METHOD N [CONNECTIONS] [WINDOW]
set -euo pipefail
BIN="$1" DB="$2" MIX="$3" N="$4" C="${5:-1}" WIN="${6:-1}"
BENCH="${BENCH:-$(cd "$(dirname "$0")/.." && swift build -c release --static-swift-stdlib --show-bin-path)/workbook-bench}"
source "$(dirname "$0")/lib/serve-copy.sh"
W="$(mktemp -d)"
trap 'kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null; rm -rf "$W"' EXIT
serve_copy "$BIN" "$DB" "$W"
pid=$SERVER_PID
load() { "$BENCH" load --socket "$W/s.sock" --mix "$MIX" --connections "$C" --window "$WIN" --requests "$1" --warmup 0; }
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
load 20 >/dev/null
t0=$(ticks); out=$(load "$N" | head -1); t1=$(ticks)
echo "$(basename "$BIN") $MIX: server CPU $(( (t1 - t0) * 1000 / $(getconf CLK_TCK) * 1000 / N )) µs/request | $out"
