#!/usr/bin/env bash
# Reproduces BENCHMARKS.md in under 10 minutes on the 2-core reference machine:
#   1. builds the static release binaries (the ones users get),
#   2. generates the databases (20k revisions; 1× / 10× / 100× = 1k/10k, 10k/100k, 100k/1M answers/revisions),
#   3. `workbook-bench suite`: echo floors, the server, the storage floor, side by side (20k revisions, then 100×),
#   4. the Python reference on the same 20k database, driven by the same client,
#   5. `workbook-bench scale`: cost growth 1× → 10× → 100×,
#   6. cold start (scripts/bench-coldstart.sh).
# Usage: scripts/bench.sh [work-dir]     SCRATCH=.build-release to pick the build directory.
# The machine should be otherwise idle: the report prints the load average next to every figure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
WORK="${1:-/tmp/workbook-bench}"
SCRATCH="${SCRATCH:-.build}"
DURATION="${DURATION:-4}"
mkdir -p "$WORK"

echo "## build (static release)" >&2
swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" >&2
BIN="$(swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --show-bin-path)"

echo "## databases" >&2
gen() { # name answers revisions
  [ -f "$WORK/$1.sqlite" ] || "$BIN/workbook-bench" generate --answers "$2" --revisions "$3" "$WORK/$1.sqlite"
}
gen r20k 2000 20000
gen x1 1000 10000
gen x10 10000 100000
gen x100 100000 1000000
fresh() { rm -f "$WORK/run-$1.sqlite"*; cp "$WORK/$1.sqlite" "$WORK/run-$1.sqlite"; echo "$WORK/run-$1.sqlite"; }

echo; echo "# workbook benchmarks ($(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo; echo "## Suite, 20 000 revisions (2 000 answers, 91 passes)"
"$BIN/workbook-bench" suite --workbook "$BIN/workbook" --database "$(fresh r20k)" --duration "$DURATION"
echo; echo "## Suite, 100× (100 000 answers, 1 000 000 revisions, 4 546 passes)"
"$BIN/workbook-bench" suite --workbook "$BIN/workbook" --database "$(fresh x100)" --duration "$DURATION"

if command -v python3 >/dev/null; then
  echo; echo "## Python reference (scripts/bench-pyref.py) on the 20 000-revision database, same client"
  DB="$(fresh r20k)"; SOCK="$WORK/pyref.sock"; rm -f "$SOCK"
  python3 "$ROOT/scripts/bench-pyref.py" --socket "$SOCK" --database "$DB" \
    --pack "$ROOT/Sources/Workbook/Resources/solidarity.json" &
  PY=$!
  for _ in $(seq 200); do [ -S "$SOCK" ] && break; sleep 0.05; done
  echo "| figure | measured | p50 / p99 µs | load |"; echo "|---|---|---|---|"
  for spec in "server.ping 8 16" "progress.get 8 16" "answers.save 1 1" "answers.save 8 1"; do
    set -- $spec
    "$BIN/workbook-bench" load --socket "$SOCK" --server-pid "$PY" --mix "$1" --connections "$2" --window "$3" \
      --duration "$DURATION" --warmup 1 --json | python3 -c '
import json, sys
r = json.load(sys.stdin); l = r["latencyMicros"]
t, e, load, p50, p99 = r["throughput"], r["errors"], r["load"], l["p50"], l["p99"]
print(f"| Python {sys.argv[1]} {sys.argv[2]}×{sys.argv[3]} | {t:.0f}/s ({e} errors) | {p50:.0f} / {p99:.0f} | {load} |")' "$1" "$2" "$3"
  done
  kill "$PY"; wait "$PY" 2>/dev/null || true
fi

echo; echo "## Cost growth (1× → 10× → 100×)"
"$BIN/workbook-bench" scale --workbook "$BIN/workbook" --duration 3 "$(fresh x1)" "$(fresh x10)" "$(fresh x100)"

echo; echo "## Cold start (100× database)"
"$ROOT/scripts/bench-coldstart.sh" "$BIN" "$WORK/x100.sqlite"
rm -f "$WORK"/run-*.sqlite*
