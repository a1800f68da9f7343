#!/usr/bin/env bash
# Makes Tests/Fixtures/schema-<migration>.sqlite (+ .expected.json) with the workbook binary of the
# schema version being shipped. Run once per new migration, with that version's build:
#   WORKBOOK_BIN=.build/debug/workbook Tests/Fixtures/make-fixture.sh
# Needs python3 (its sqlite3 module) to compact the file and dump the expected answers.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${WORKBOOK_BIN:-$here/../../.build/debug/workbook}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
db="$tmp/wb.sqlite"
call() { "$bin" call "$1" "$2" --database "$db" >/dev/null; }
P=what-is-solidarity.better-future
call answers.save '{"promptId":"'$P'","text":"First thoughts: solidarity is showing up."}'
call answers.save '{"promptId":"'$P'","text":"Second take, with ä, 中文, 🙂 and a \"quote\"\nand a second line.","status":"final"}'
call answers.save '{"promptId":"what-is-solidarity.erased","text":"A draft about who gets erased."}'
call answers.skip '{"promptId":"what-is-solidarity.seeking-out","reason":"come back later"}'
call answers.save '{"promptId":"who-do-i-stand-with","text":"v1"}'
call answers.save '{"promptId":"who-do-i-stand-with","text":"v2"}'
call answers.restore '{"promptId":"who-do-i-stand-with","revision":1}'
pass=$("$bin" call passes.start '{"workbookId":"solidarity","title":"A year later"}' --database "$db" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
call answers.save '{"promptId":"'$P'","passId":"'$pass'","text":"A year later, in another pass.","status":"final"}'
call passes.close '{"passId":"'$pass'"}'
python3 - "$db" "$here" <<'PY'
import json, sqlite3, sys, shutil, os
db, here = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
con.execute("PRAGMA journal_mode=DELETE")
con.execute("VACUUM")
version = [r[0] for r in con.execute("SELECT identifier FROM grdb_migrations ORDER BY rowid")][-1]
out = {}
for passId, promptId, revision, text, status, at, client in con.execute(
        "SELECT passId, promptId, revision, text, status, at, client FROM revisions ORDER BY passId, promptId, revision"):
    out.setdefault((passId, promptId), []).append({"revision": revision, "text": text, "status": status, "at": at, "client": client})
con.close()
expected = [{"passId": k[0], "promptId": k[1], "revisions": v} for k, v in sorted(out.items())]
shutil.copy(db, os.path.join(here, f"schema-{version}.sqlite"))
with open(os.path.join(here, f"schema-{version}.expected.json"), "w") as f:
    json.dump(expected, f, ensure_ascii=False, indent=1)
print(f"schema-{version}.sqlite: {sum(len(e['revisions']) for e in expected)} revisions in {len(expected)} answers")
PY
