#!/usr/bin/env bash
# Cold start: one-shot `workbook progress --format json --database DB` (no server), the same call
# through a running server (--socket), and the sqlite3 CLI doing the same count, with hyperfine.
# Usage: scripts/bench-coldstart.sh BIN_DIR DB   (BIN_DIR holds the static release `workbook`)
set -euo pipefail
BIN="$1"; DB="$2"
command -v hyperfine >/dev/null || { echo "bench-coldstart: hyperfine is needed" >&2; exit 1; }
TMP="$(mktemp -d)"; SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
cp "$DB" "$TMP/db.sqlite"
SQL="SELECT status, count(*), sum(words), max(updatedAt) FROM answers WHERE passId = (SELECT id FROM passes WHERE workbookId = 'solidarity' ORDER BY startedAt DESC, rowid DESC LIMIT 1) GROUP BY status"
hyperfine -N --warmup 5 --runs "${RUNS:-40}" --export-markdown "$TMP/oneshot.md" \
  -n "workbook progress (one-shot, --database)" "$BIN/workbook progress --format json --database $TMP/db.sqlite" \
  -n "sqlite3 CLI, same count" "sqlite3 $TMP/db.sqlite \"$SQL\"" >&2
"$BIN/workbook" serve --socket "$TMP/wb.sock" --database "$TMP/db.sqlite" --log-level error &
SERVER_PID=$!
for _ in $(seq 200); do [ -S "$TMP/wb.sock" ] && break; sleep 0.05; done
hyperfine -N --warmup 5 --runs "${RUNS:-40}" --export-markdown "$TMP/socket.md" \
  -n "workbook progress (via server, --socket)" "$BIN/workbook progress --format json --socket $TMP/wb.sock" >&2
cat "$TMP/oneshot.md"; tail -n +3 "$TMP/socket.md"
echo "(load: $(cut -d' ' -f1-3 /proc/loadavg))"
