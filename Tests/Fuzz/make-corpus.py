#!/usr/bin/env python3
"""Writes the seed corpus for the fuzzers (Tests/Fuzz/corpus). Run once; the files are committed."""
import json, os, hashlib

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "corpus")
os.makedirs(out, exist_ok=True)
P = "what-is-solidarity.better-future"
PASS = "0f8fad5b-d9cb-469f-a165-70867728950e"

def req(i, method, params=None):
    m = {"jsonrpc": "2.0", "id": i, "method": method}
    if params is not None:
        m["params"] = params
    return json.dumps(m, ensure_ascii=False, separators=(",", ":"))

calls = [
    ("rpc.discover", None), ("server.info", None), ("server.ping", {}), ("server.ping", []),
    ("initialize", {"processId": 1, "clientInfo": {"name": "fuzz", "version": "1"}, "capabilities": {}}),
    ("workbooks.list", None), ("workbooks.get", {"workbookId": "solidarity"}),
    ("prompts.get", {"promptId": P}), ("prompts.next", {"after": P}),
    ("answers.save", {"promptId": P, "text": "Solidarity is 🙂 \"quoted\" \\ ä\n", "status": "draft"}),
    ("answers.save", {"promptId": P, "text": "again", "expectedRevision": 1, "status": "final"}),
    ("answers.save", {"promptId": P, "text": "x", "expectedRevision": 0, "passId": PASS}),
    ("answers.saveMany", {"items": [{"promptId": P, "text": "a"}, {"promptId": "solidarity-means", "text": "b"}]}),
    ("answers.get", {"promptId": P}), ("answers.list", {"status": "final"}), ("answers.history", {"promptId": P}),
    ("answers.skip", {"promptId": P, "reason": "later"}), ("answers.restore", {"promptId": P, "revision": 1}),
    ("answers.delete", {"promptId": P}), ("data.erase", {"confirm": "erase all answers"}),
    ("passes.list", {"workbookId": "solidarity"}), ("passes.start", {"workbookId": "solidarity", "title": "Second"}),
    ("passes.get", {"passId": PASS}), ("passes.close", {"passId": PASS}), ("passes.delete", {"passId": PASS}),
    ("progress.get", {"workbookId": "solidarity"}), ("progress.list", None),
    ("search", {"query": "solidarity co-opting", "limit": 5}), ("search", {"query": "sol* AND NOT x", "syntax": "fts5"}),
    ("search", {"query": "\"unterminated", "syntax": "fts5"}),
    ("export", {"format": "markdown"}), ("export", {"format": "json", "workbookId": "solidarity"}),
    ("import", {"document": {"format": "workbook-export", "formatVersion": 1, "passes": []}}),
    ("import", {"document": {"format": "workbook-export", "formatVersion": 1, "passes": [{"id": PASS, "workbookId": "solidarity", "title": None, "startedAt": "2026-01-01T00:00:00.000Z", "closedAt": None, "revisions": [{"uuid": "5c1b2f2e-8a53-4b8e-9a9c-3b2f1e0d9c8b", "passId": PASS, "promptId": P, "revision": 1, "text": "imported", "status": "draft", "at": "2026-01-01T00:00:00.000Z", "client": "x", "packVersion": "1.0.0", "reason": None}]}]}}),
    ("changes.list", {"since": 0, "limit": 10}), ("subscribe", {"since": 0}), ("unsubscribe", {"subscriptionId": "s1"}),
]
seeds = {}
for n, (method, params) in enumerate(calls):
    seeds[f"call-{n:02d}-{method}"] = req(n, method, params)
seeds["batch-mixed"] = "[" + ",".join([req(1, "server.ping"), json.dumps({"jsonrpc": "2.0", "method": "server.ping"}), '{"foo":"boo"}', req("x", "no.such"), req(2, "answers.save", {"promptId": P, "text": "in a batch"})]) + "]"
seeds["batch-notifications"] = "[" + json.dumps({"jsonrpc": "2.0", "method": "answers.save", "params": {"promptId": P, "text": "n"}}) + "]"
seeds["notification-save"] = json.dumps({"jsonrpc": "2.0", "method": "answers.save", "params": {"promptId": P, "text": "note"}})
seeds["id-big"] = '{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"server.ping"}'
seeds["id-string-escapes"] = '{"jsonrpc":"2.0","id":"a\\"b\\\\c\\u00e9\\ud83d\\ude00","method":"server.ping"}'
seeds["id-object"] = '{"jsonrpc":"2.0","id":{"a":1},"method":"server.ping"}'
seeds["params-scalar"] = '{"jsonrpc":"2.0","id":1,"method":"server.ping","params":"bar"}'
seeds["params-unknown-key"] = '{"jsonrpc":"2.0","id":1,"method":"answers.get","params":{"promptId":"x","bogus":1}}'
seeds["params-wrong-type"] = '{"jsonrpc":"2.0","id":1,"method":"answers.save","params":{"promptId":1,"text":[]}}'
seeds["text-escaped-nul"] = '{"jsonrpc":"2.0","id":1,"method":"answers.save","params":{"promptId":"%s","text":"a\\u0000b"}}' % P
seeds["lone-surrogate"] = '{"jsonrpc":"2.0","id":1,"method":"answers.save","params":{"promptId":"%s","text":"\\ud800"}}' % P
seeds["deep"] = "[" * 70 + "]" * 70
seeds["numbers"] = '{"jsonrpc":"2.0","id":-0.5e-3,"method":"changes.list","params":{"since":9223372036854775807,"limit":1e2}}'
seeds["stream-ndjson"] = "\n".join([req(1, "server.ping"), "", "  ", req(2, "answers.get", {"promptId": P}) + "\r", "garbage", req(3, "server.ping")])
body1, body2 = req(1, "server.ping"), req(2, "answers.save", {"promptId": P, "text": "über"})
seeds["stream-headers"] = f"Content-Length: {len(body1.encode())}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{body1}content-length: {len(body2.encode())}\n\n{body2}"
seeds["stream-headers-bad"] = "Content-Length: nope\r\n\r\n{}"
seeds["stream-headers-oversized"] = "Content-Length: 99999999\r\n\r\n{}"
seeds["stream-ndjson-last-line"] = req(1, "server.ping") + "\n" + req(2, "server.ping")
for name, text in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(text.encode("utf-8") if isinstance(text, str) else text)
with open(os.path.join(out, "raw-invalid-utf8"), "wb") as f:
    f.write(b'{"jsonrpc":"2.0","id":1,"method":"answers.save","params":{"promptId":"x","text":"\xc3\x28\xed\xa0\x80"}}')
with open(os.path.join(out, "raw-nul"), "wb") as f:
    f.write(b'{"jsonrpc":"2.0","id":1,"method":"server.ping","x":"\x00"}')
print(len(os.listdir(out)), "seeds")
