#!/usr/bin/env bash
# Same-machine A/B of two workbook binaries: alternating rounds, each on a fresh copy of the same
# database, driven by the same workbook-bench client. One line per round and binary: idle RSS, then
# throughput and p50 for each spec (method:connections:window).
# Usage: scripts/bench-ab.sh OLD_BIN NEW_BIN DB [ROUNDS] [SPECS...]
#   e.g. scripts/bench-ab.sh /tmp/old/workbook .build/release/workbook /tmp/workbook-bench/r20k.sqlite 3
set -euo pipefail
cd "$(dirname "$0")/.."
OLD="$1" NEW="$2" DB="$3" ROUNDS="${4:-3}"
shift $(( $# < 4 ? $# : 4 ))
SPECS=("$@")
[ ${#SPECS[@]} -gt 0 ] || SPECS=(answers.save:1:1 answers.save:8:1 answers.saveMany:1:1 server.ping:1:1 progress.get:8:16)
BENCH="${BENCH:-$(swift build -c release --static-swift-stdlib --show-bin-path)/workbook-bench}"
source scripts/lib/serve-copy.sh
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
for round in $(seq "$ROUNDS"); do
  for name in old new; do
    bin="$OLD"; [ "$name" = new ] && bin="$NEW"
    serve_copy "$bin" "$DB" "$WORK"
    pid=$SERVER_PID
    sleep 1
    line="round $round $name: idle RSS $(awk '/VmRSS/{print $2}' "/proc/$pid/status") kB"
    for spec in "${SPECS[@]}"; do
      IFS=: read -r mix c w <<< "$spec"
      out=$("$BENCH" load --socket "$WORK/s.sock" --server-pid "$pid" --mix "$mix" --connections "$c" --window "$w" \
              --duration "${DURATION:-4}" --json)
      line="$line | $spec $(python3 -c 'import json, sys; r = json.loads(sys.argv[1]); print("%.0f/s p50 %.0f us" % (r["throughput"], r["latencyMicros"]["p50"]))' "$out")"
    done
    echo "$line"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
