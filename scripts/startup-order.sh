#!/usr/bin/env bash
# Regenerates scripts/startup-order.txt: the functions of the static release `workbook` that run
# while `serve` starts, answers one `progress` call and sits idle, and while a one-shot `progress`
# runs, as valgrind's callgrind records them. The release link (Package.swift, Linux) hands the file to lld as a symbol order,
# which puts those functions next to each other: start-up then faults in far fewer 64 KB chunks
# of code, so the idle server's RSS is smaller (BENCHMARKS.md, finding 27). Functions missing from
# the file (renamed since) only lose their place; regenerate after large changes.
# Usage: scripts/startup-order.sh      (needs valgrind; takes about a minute)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "startup-order: valgrind is needed" >&2; exit 1; }
swift build -c release --static-swift-stdlib >&2
BIN="$(swift build -c release --static-swift-stdlib --show-bin-path)/workbook"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
# A database like a used one (start-up on an empty file takes other paths).
"$BIN-bench" generate --answers 2000 --revisions 20000 "$TMP/db.sqlite" >&2
# valgrind gives up on the debug info of the static binary; the symbol table is enough.
objcopy --strip-debug "$BIN" "$TMP/workbook"
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$TMP/serve.out" \
  "$TMP/workbook" serve --socket "$TMP/s.sock" --database "$TMP/db.sqlite" --log-level error 2>/dev/null &
PID=$!
for _ in $(seq 600); do [ -S "$TMP/s.sock" ] && break; sleep 0.1; done
# An idle server has usually taken a connection and answered a call.
"$BIN" progress --format json --socket "$TMP/s.sock" >/dev/null
sleep 3
kill -TERM "$PID"; wait "$PID" || true
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$TMP/oneshot.out" \
  "$TMP/workbook" progress --format json --database "$TMP/db.sqlite" >/dev/null 2>&1
# Function names (callgrind marks recursion levels with 'N), kept when the binary defines them.
nm --defined-only "$BIN" | awk '$2 ~ /^[tTwW]$/ {print $3}' | sort -u > "$TMP/defined"
cat "$TMP/serve.out" "$TMP/oneshot.out" | sed -nE "s/^c?fn=\([0-9]+\) (.*)$/\1/p" | sed -E "s/'[0-9]+$//" \
  | grep -v '^0x' | sort -u | comm -12 - "$TMP/defined" > scripts/startup-order.txt
echo "startup-order: $(wc -l < scripts/startup-order.txt) functions in scripts/startup-order.txt" >&2
# SwiftPM does not know the file is a link input: relink so the binary uses the new order.
rm -f "$BIN"; swift build -c release --static-swift-stdlib --product workbook >&2
