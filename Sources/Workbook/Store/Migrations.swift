import GRDB

/// The schema, as frozen SQL per migration. Never edit a shipped migration: add the next one.
enum Migrations {
    /// Every migration, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in try db.execute(sql: v1) }
        migrator.registerMigration("v2") { db in try db.execute(sql: v2) }
        return migrator
    }

    /// The tables every database of ours holds (checked before a restore).
    static let requiredTables = ["meta", "passes", "answers", "revisions", "changes", "answers_fts", "prompts_fts"]

    static let v1 = """
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

        CREATE VIRTUAL TABLE answers_fts USING fts5(
          text, content='answers', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER answers_fts_insert AFTER INSERT ON answers BEGIN
          INSERT INTO answers_fts(rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER answers_fts_delete AFTER DELETE ON answers BEGIN
          INSERT INTO answers_fts(answers_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;
        CREATE TRIGGER answers_fts_update AFTER UPDATE OF text ON answers BEGIN
          INSERT INTO answers_fts(answers_fts, rowid, text) VALUES ('delete', old.id, old.text);
          INSERT INTO answers_fts(rowid, text) VALUES (new.id, new.text);
        END;

        CREATE VIRTUAL TABLE prompts_fts USING fts5(
          workbookId UNINDEXED, promptId UNINDEXED, text, tokenize='unicode61 remove_diacritics 2'
        );
        """

    /// The store keeps `answers_fts` itself, once per transaction in rowid order (`AnswerIndex`):
    /// row by row, FTS5 flushed a new segment at nearly every row of a multi-answer transaction.
    /// Deleting a row still goes through the delete trigger (deletes run in transactions of their own).
    static let v2 = """
        DROP TRIGGER answers_fts_insert;
        DROP TRIGGER answers_fts_update;
        """
}
