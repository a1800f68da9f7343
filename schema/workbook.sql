sqlite_master
CREATE TABLE answers (
  id INTEGER PRIMARY KEY,
  passId TEXT NOT NULL REFERENCES passes(id) ON DELETE CASCADE,
  promptId TEXT NOT NULL,
  text TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'final', 'skipped')),
  revision INTEGER NOT NULL CHECK (revision >= 1),
  updatedAt TEXT NOT NULL,
  client TEXT NOT NULL,
  packVersion TEXT NOT NULL,
  words INTEGER NOT NULL,
  UNIQUE (passId, promptId)
);
CREATE INDEX answers_by_prompt ON answers(promptId);
CREATE TRIGGER answers_fts_delete AFTER DELETE ON answers BEGIN
  INSERT INTO answers_fts(answers_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE VIRTUAL TABLE answers_fts USING fts5(
  text, content='answers', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TABLE changes (
  cursor INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  workbookId TEXT NOT NULL,
  passId TEXT,
  promptId TEXT,
  revision INTEGER,
  status TEXT,
  at TEXT NOT NULL,
  client TEXT NOT NULL
);
CREATE TABLE meta (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE passes (
  id TEXT PRIMARY KEY NOT NULL,
  workbookId TEXT NOT NULL,
  title TEXT,
  startedAt TEXT NOT NULL,
  closedAt TEXT
);
CREATE INDEX passes_by_workbook ON passes(workbookId, startedAt);
CREATE VIRTUAL TABLE prompts_fts USING fts5(
  workbookId UNINDEXED, promptId UNINDEXED, text, tokenize='unicode61 remove_diacritics 2'
);
CREATE TABLE revisions (
  id INTEGER PRIMARY KEY,
  uuid TEXT NOT NULL UNIQUE,
  passId TEXT NOT NULL REFERENCES passes(id) ON DELETE CASCADE,
  promptId TEXT NOT NULL,
  revision INTEGER NOT NULL CHECK (revision >= 1),
  text TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'final', 'skipped')),
  at TEXT NOT NULL,
  client TEXT NOT NULL,
  packVersion TEXT NOT NULL,
  reason TEXT,
  UNIQUE (passId, promptId, revision)
);
