import Foundation
import GRDB

extension WorkbookStore {
    /// `answers.delete`: removes the current answer, its whole history and its search entries, then
    /// scrubs the files (FTS optimize + a best-effort WAL truncate, see `scrubFiles`) before returning. Closed passes allowed; a named
    /// pass may hold prompt ids that left the pack. Appends `answer.deleted` when something was removed.
    public func answersDelete(_ params: AnswersDeleteParams, client: String = "unknown") throws(WorkbookError) -> DeleteResult {
        let now = timestamp()
        let deleted = try write { db -> Int in
            guard let pass = try answerPass(db, promptId: params.promptId, passId: params.passId) else { return 0 }
            try db.execute(sql: "DELETE FROM revisions WHERE passId = ? AND promptId = ?", arguments: [pass.id, params.promptId])
            let revisions = db.changesCount
            try db.execute(sql: "DELETE FROM answers WHERE passId = ? AND promptId = ?", arguments: [pass.id, params.promptId])
            if revisions + db.changesCount == 0 { return 0 }
            try Self.appendChange(db, .answerDeleted, workbookId: pass.workbookId, passId: pass.id, promptId: params.promptId,
                             at: now, client: client)
            try optimizeSearchIndex(db)
            return revisions
        }
        if deleted > 0 { scrubAfterCommit() }
        return DeleteResult(deleted: deleted)
    }

    /// `passes.delete`: removes the pass with every answer and revision (appends `pass.deleted`).
    public func passesDelete(_ params: PassesDeleteParams, client: String) throws(WorkbookError) -> DeleteResult {
        let now = timestamp()
        let deleted = try write { db -> Int in
            let pass = try requirePass(db, params.passId)
            let revisions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM revisions WHERE passId = ?", arguments: [pass.id]) ?? 0
            try db.execute(sql: "DELETE FROM passes WHERE id = ?", arguments: [pass.id]) // cascades
            try Self.appendChange(db, .passDeleted, workbookId: pass.workbookId, passId: pass.id, at: now, client: client)
            try optimizeSearchIndex(db)
            return revisions
        }
        scrubAfterCommit()
        return DeleteResult(deleted: deleted)
    }

    /// `data.erase`: removes every pass, answer and revision (the change log, which holds no text,
    /// stays); `confirm` must be exactly "erase all answers". Appends one `data.erased` per workbook
    /// that had a pass (the default workbook when none had), with `passId` null.
    public func dataErase(_ params: DataEraseParams, client: String) throws(WorkbookError) -> DeleteResult {
        guard params.confirm == DataEraseParams.confirmation else {
            throw .invalidArgument(field: "confirm", reason: "must be exactly \"\(DataEraseParams.confirmation)\"")
        }
        let now = timestamp()
        let deleted = try write { db -> Int in
            var workbooks = try String.fetchAll(db, sql: "SELECT DISTINCT workbookId FROM passes ORDER BY workbookId")
            if workbooks.isEmpty { workbooks = [catalog.defaultWorkbookId] }
            let revisions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM revisions") ?? 0
            try db.execute(sql: """
                DELETE FROM revisions; DELETE FROM answers; DELETE FROM passes;
                INSERT INTO answers_fts(answers_fts) VALUES ('delete-all');
                """)
            for workbookId in workbooks {
                try Self.appendChange(db, .dataErased, workbookId: workbookId, passId: nil, at: now, client: client)
            }
            try optimizeSearchIndex(db)
            return revisions
        }
        scrubAfterCommit()
        return DeleteResult(deleted: deleted)
    }

    /// Rewrites the answer index so deleted terms leave its pages (FTS5 on SQLite 3.40 keeps them otherwise).
    func optimizeSearchIndex(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO answers_fts(answers_fts) VALUES ('optimize')")
    }
}
