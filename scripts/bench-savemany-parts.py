#!/usr/bin/env python3
"""Where a `saveMany` item's SQL time goes (BENCHMARKS.md, finding 28).

Replays the store's durable `saveMany` transaction with Python's `sqlite3` on a copy of DB:
BEGIN IMMEDIATE, one savepoint, 100 items (current answer read, revision insert with a version 7
uuid, answer upsert, change-log insert), then the search index, COMMIT; WAL, synchronous=FULL,
secure_delete, temp_store=MEMORY, foreign keys. SKIP leaves one part out to see what it costs:
rev (revision insert), chg (change-log insert), fts (search index), fk (foreign keys off),
ckpt (wal_autocheckpoint = 0). Prints answers/s.

Usage: scripts/bench-savemany-parts.py DB [TRANSACTIONS] [SKIP]
"""
import os, shutil, sqlite3, sys, tempfile, time

src = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 150
skip = sys.argv[3] if len(sys.argv) > 3 else ""
work = tempfile.mkdtemp()
path = os.path.join(work, "db.sqlite")
shutil.copy(src, path)
db = sqlite3.connect(path, isolation_level=None)
for pragma in ("journal_mode=WAL", "synchronous=FULL", "secure_delete=ON", "temp_store=MEMORY",
               "foreign_keys=" + ("OFF" if skip == "fk" else "ON"),
               "wal_autocheckpoint=" + ("0" if skip == "ckpt" else "1000")):
    db.execute("PRAGMA " + pragma)
pass_id = db.execute("SELECT id FROM passes WHERE workbookId = 'solidarity' AND closedAt IS NULL "
                     "ORDER BY startedAt DESC, rowid DESC LIMIT 1").fetchone()[0]
prompts = [r[0] for r in db.execute("SELECT DISTINCT promptId FROM answers WHERE passId = ?", (pass_id,))]
UPSERT = """INSERT INTO answers(passId, promptId, text, status, revision, updatedAt, client, packVersion, words)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(passId, promptId) DO UPDATE SET text = excluded.text, status = excluded.status,
      revision = excluded.revision, updatedAt = excluded.updatedAt, client = excluded.client,
      packVersion = excluded.packVersion, words = excluded.words RETURNING id"""
AT = "2026-12-04T00:00:00.000Z"


def uuid7():
    h = f"{int(time.time() * 1000):012x}7{os.urandom(10).hex()[:19]}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


start = time.perf_counter()
for i in range(n):
    db.execute("BEGIN IMMEDIATE")
    db.execute("SAVEPOINT item")
    index = []
    for k in range(100):
        prompt = prompts[k % len(prompts)]
        current = db.execute("SELECT promptId, passId, text, status, revision, updatedAt, client FROM answers "
                             "WHERE passId = ? AND promptId = ?", (pass_id, prompt)).fetchone()
        revision = (current[4] if current else 0) + 1
        text = f"floor {i} {k} solidarity care listen organise end"
        if skip != "rev":
            db.execute("INSERT INTO revisions(uuid, passId, promptId, revision, text, status, at, client, packVersion, reason) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (uuid7(), pass_id, prompt, revision, text, "draft", AT, "floor", "1", None))
        rowid = db.execute(UPSERT, (pass_id, prompt, text, "draft", revision, AT, "floor", "1", 7)).fetchone()[0]
        index.append((rowid, current[2] if current else None, text))
        if skip != "chg":
            db.execute("INSERT INTO changes(type, workbookId, passId, promptId, revision, status, at, client) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       ("answerSaved", "solidarity", pass_id, prompt, revision, "draft", AT, "floor"))
    for rowid, old, new in ([] if skip == "fts" else sorted(index)):
        if old is not None:
            db.execute("INSERT INTO answers_fts(answers_fts, rowid, text) VALUES ('delete', ?, ?)", (rowid, old))
        db.execute("INSERT INTO answers_fts(rowid, text) VALUES (?, ?)", (rowid, new))
    db.execute("RELEASE item")
    db.execute("COMMIT")
elapsed = time.perf_counter() - start
db.close()
shutil.rmtree(work)
print(f"skip={skip or 'nothing'}: {n * 100 / elapsed:.0f} answers/s ({len(prompts)} prompts in the pass)")
