#!/usr/bin/env python3
"""A straightforward Python implementation of part of the workbook protocol, for comparison only.

asyncio Unix-socket server, NDJSON framing, C-accelerated `json`, one `sqlite3` connection (WAL,
synchronous=FULL), indexed per-pass lookups, on the same database file and schema as the Swift
server. Methods: server.ping, progress.get (default workbook, newest pass), answers.save (no
expectedRevision/passId handling beyond the newest open pass). A save does the durable work the
Swift store does: the revision, the answer, the change log and the search index (`answers_fts`,
which schema v2 no longer keeps by trigger), with `secure_delete` on. It answers just enough of JSON-RPC 2.0
for the benchmark's requests; it is the "Python reference" of BENCHMARKS.md, not a product.

usage: bench-pyref.py --socket PATH --database DB --pack solidarity.json
"""
import argparse, asyncio, datetime, json, os, sqlite3, uuid


def load_pack(path):
    pack = json.load(open(path))
    prompts = []  # (promptId, sectionId, sectionTitle) in reading order

    def walk(items, section, title):
        for item in items:
            if item["kind"] == "section":
                walk(item.get("items", []), item["id"], item.get("title", ""))
            elif item["kind"] == "prompt":
                prompts.append((item["id"], section, title))
                walk(item.get("items", []), section, title)
    walk(pack["items"], pack["id"], pack["title"])
    return pack, prompts


class Store:
    def __init__(self, path, pack, prompts):
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA secure_delete=ON")
        self.pack, self.prompts = pack, prompts
        self.prompt_ids = {p[0] for p in prompts}

    def newest_pass(self, open_only=False):
        sql = "SELECT id, startedAt FROM passes WHERE workbookId = ?" + (" AND closedAt IS NULL" if open_only else "")
        return self.db.execute(sql + " ORDER BY startedAt DESC, rowid DESC LIMIT 1", (self.pack["id"],)).fetchone()

    def progress(self):
        self.db.execute("BEGIN")
        try:
            p = self.newest_pass()
            states = {}
            if p:
                for pid, status, words, at in self.db.execute(
                        "SELECT promptId, status, words, updatedAt FROM answers WHERE passId = ?", (p[0],)):
                    states[pid] = (status, words, at)
        finally:
            self.db.execute("COMMIT")
        sections, index = [], {}
        answered = drafts = skipped = words = 0
        nxt = None
        for pid, sid, title in self.prompts:
            if sid not in index:
                index[sid] = len(sections)
                sections.append({"id": sid, "title": title, "total": 0, "answered": 0, "drafts": 0, "skipped": 0})
            s = sections[index[sid]]
            s["total"] += 1
            st = states.get(pid)
            status = st[0] if st else None
            if status == "final": answered += 1; s["answered"] += 1
            elif status == "draft": drafts += 1; s["drafts"] += 1
            elif status == "skipped": skipped += 1; s["skipped"] += 1
            if st and status != "skipped": words += st[1]
            if nxt is None and status not in ("final", "skipped"): nxt = pid
        total = len(self.prompts)
        return {"workbookId": self.pack["id"], "passId": p[0] if p else None, "total": total, "answered": answered,
                "drafts": drafts, "skipped": skipped, "remaining": total - answered - skipped,
                "percent": answered * 100 // total if total else 0, "words": words, "sections": sections,
                "nextPromptId": nxt, "lastActivityAt": max((v[2] for v in states.values()), default=None)}

    def save(self, params, client="unknown"):
        prompt, text = params["promptId"], params["text"]
        if prompt not in self.prompt_ids:
            raise KeyError(prompt)
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        wb, version = self.pack["id"], self.pack["version"]
        self.db.execute("BEGIN IMMEDIATE")
        try:
            p = self.newest_pass(open_only=True)
            if not p:
                pid = str(uuid.uuid4())
                self.db.execute("INSERT INTO passes(id, workbookId, startedAt) VALUES (?, ?, ?)", (pid, wb, now))
                p = (pid, now)
            cur = self.db.execute("SELECT text, status, revision, id FROM answers WHERE passId = ? AND promptId = ?",
                                  (p[0], prompt)).fetchone()
            status = params.get("status") or ("final" if cur and cur[1] == "final" else "draft")
            rev = (cur[2] if cur else 0) + 1
            if not (cur and cur[0] == text and cur[1] == status):
                self.db.execute("INSERT INTO revisions(uuid, passId, promptId, revision, text, status, at, client, packVersion)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (str(uuid.uuid4()), p[0], prompt, rev, text, status, now, client, version))
                if cur:  # the search index forgets the old text (external-content FTS5)
                    self.db.execute("INSERT INTO answers_fts(answers_fts, rowid, text) VALUES ('delete', ?, ?)",
                                    (cur[3], cur[0]))
                rowid = self.db.execute("INSERT INTO answers(passId, promptId, text, status, revision, updatedAt, client, packVersion, words)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(passId, promptId) DO UPDATE SET text = excluded.text,"
                                " status = excluded.status, revision = excluded.revision, updatedAt = excluded.updatedAt,"
                                " client = excluded.client, packVersion = excluded.packVersion, words = excluded.words"
                                " RETURNING id",
                                (p[0], prompt, text, status, rev, now, client, version, len(text.split()))).fetchone()[0]
                self.db.execute("INSERT INTO answers_fts(rowid, text) VALUES (?, ?)", (rowid, text))
                self.db.execute("INSERT INTO changes(type, workbookId, passId, promptId, revision, status, at, client)"
                                " VALUES ('answer.saved', ?, ?, ?, ?, ?, ?, ?)", (wb, p[0], prompt, rev, status, now, client))
            else:
                rev = cur[2]
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        answer = {"promptId": prompt, "passId": p[0], "text": text, "status": status, "revision": rev,
                  "updatedAt": now, "client": client}
        return {"answer": answer, "revision": rev}


def reply(mid, result=None, error=None):
    out = {"jsonrpc": "2.0", "id": mid}
    if error: out["error"] = error
    else: out["result"] = result
    return json.dumps(out, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def handle(store, line):
    try:
        msg = json.loads(line)
    except ValueError:
        return reply(None, error={"code": -32700, "message": "parse error"})
    if not isinstance(msg, dict) or msg.get("jsonrpc") != "2.0" or not isinstance(msg.get("method"), str):
        return reply(None, error={"code": -32600, "message": "invalid request"})
    mid, method, params = msg.get("id"), msg["method"], msg.get("params") or {}
    try:
        if method == "server.ping": result = {}
        elif method == "progress.get": result = store.progress()
        elif method == "answers.save": result = store.save(params)
        else: return None if "id" not in msg else reply(mid, error={"code": -32601, "message": "method not found"})
    except KeyError as e:
        result = None
        err = {"code": 1002, "message": f"prompt not found: {e}"}
        return None if "id" not in msg else reply(mid, error=err)
    return None if "id" not in msg else reply(mid, result)


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socket", required=True)
    ap.add_argument("--database", required=True)
    ap.add_argument("--pack", required=True)
    a = ap.parse_args()
    pack, prompts = load_pack(a.pack)
    store = Store(a.database, pack, prompts)

    async def client(reader, writer):
        try:
            while True:
                line = await reader.readline()
                if not line: break
                line = line.strip()
                if not line: continue
                out = handle(store, line)
                if out: writer.write(out)
                if not reader._buffer:  # flush once the pipelined requests are answered
                    await writer.drain()
        finally:
            writer.close()

    if os.path.exists(a.socket): os.unlink(a.socket)
    server = await asyncio.start_unix_server(client, path=a.socket, limit=1 << 22)
    async with server:
        await server.serve_forever()

if __name__ == "__main__":
    try: asyncio.run(main())
    except KeyboardInterrupt: pass
