#!/usr/bin/env bash
# Which tables and indexes a request's commit writes: starts the release server on a checkpointed copy
# of DB, sends 5 warm-up requests of MIX, then N more, SIGKILLs the server so the WAL stays, and maps
# the page number of every WAL frame the N requests added to its table or index (sqlite's dbstat).
# Keep N × pages per request under 1 000 (the WAL restarts after an automatic checkpoint).
# Usage: scripts/wal-pages.sh DB MIX N      e.g. scripts/wal-pages.sh r20k.sqlite answers.save 50
set -euo pipefail
DB="$1" MIX="$2" N="$3"
BIN="${BIN:-$(cd "$(dirname "$0")/.." && swift build -c release --static-swift-stdlib --show-bin-path)}"
source "$(dirname "$0")/lib/serve-copy.sh"
W="$(mktemp -d)"; cp "$DB" "$W/start.sqlite"
sqlite3 "$W/start.sqlite" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
trap 'kill -9 $SERVER_PID 2>/dev/null || true; rm -rf "$W"' EXIT
serve_copy "$BIN/workbook" "$W/start.sqlite" "$W"
pid=$SERVER_PID
load() { "$BIN/workbook-bench" load --socket "$W/s.sock" --mix "$MIX" --connections 1 --window 1 --requests "$1" --warmup 0 >/dev/null; }
load 5; sleep 0.2; cp "$W/db.sqlite-wal" "$W/before.wal"
load "$N"; sleep 0.2
kill -9 $pid; wait $pid 2>/dev/null || true
cp "$W/db.sqlite-wal" "$W/after.wal"
python3 - "$W" "$N" <<'PY'
import collections, sqlite3, struct, sys
work, n = sys.argv[1], int(sys.argv[2])
before = open(f"{work}/before.wal", "rb").read()
after = open(f"{work}/after.wal", "rb").read()
page_size = struct.unpack(">I", after[8:12])[0]
if after[:32] != before[:32]:
    sys.exit("the WAL was restarted by a checkpoint during the run: use a smaller N")
pages, offset = [], max(len(before), 32)
while offset + 24 + page_size <= len(after):
    pages.append(struct.unpack(">I", after[offset:offset + 4])[0])
    offset += 24 + page_size
owner = dict((page, name) for name, page in sqlite3.connect(f"{work}/db.sqlite").execute("SELECT name, pageno FROM dbstat"))
print(f"{len(pages)} WAL frames for {n} requests: {len(pages) / n:.1f} per request")
for name, count in collections.Counter(owner.get(p, "(free page)") for p in pages).most_common():
    print(f"  {count / n:6.2f}  {name}")
PY
