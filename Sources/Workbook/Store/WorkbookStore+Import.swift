import Foundation
import GRDB

extension WorkbookStore {
    /// `import`: validates the whole document first (`importInvalid`, nothing changed), then in one
    /// transaction merges passes by id (an existing pass keeps its own title and times) and revisions
    /// by uuid (uuids, times, clients and pack versions kept). An imported revision whose number is
    /// taken by a different local revision gets the next free number. Current answers are recomputed
    /// (highest revision wins) and each changed one appends `answer.imported`; new passes append
    /// `pass.started`. Importing the same document twice imports 0 the second time.
    public func importDocument(_ params: ImportParams, client: String) throws(WorkbookError) -> ImportResult {
        let document = try ImportValidator.validate(params.document, maxAnswerBytes: options.maxAnswerBytes)
        let now = timestamp()
        return try write { db in
            var imported = 0, skipped = 0
            for (i, incoming) in document.passes.enumerated() {
                if let existing = try Row.fetchOne(db, sql: "SELECT \(Rows.passColumns) FROM passes WHERE id = ?",
                                                   arguments: [incoming.id]).map(Rows.pass) {
                    if existing.workbookId != incoming.workbookId {
                        throw WorkbookError.importInvalid(reason: "passes[\(i)].workbookId: pass \(incoming.id) exists here for workbook \(existing.workbookId)")
                    }
                } else {
                    try db.execute(sql: "INSERT INTO passes(id, workbookId, title, startedAt, closedAt) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [incoming.id, incoming.workbookId, incoming.title, incoming.startedAt, incoming.closedAt])
                    try Self.appendChange(db, .passStarted, workbookId: incoming.workbookId, passId: incoming.id, at: now, client: client)
                }
                var fresh: [String: [Revision]] = [:]
                for revision in incoming.revisions {
                    if try Bool.fetchOne(db, sql: "SELECT 1 FROM revisions WHERE uuid = ?", arguments: [revision.uuid]) == true {
                        skipped += 1
                    } else {
                        fresh[revision.promptId, default: []].append(revision)
                    }
                }
                for promptId in fresh.keys.sorted() {
                    let revisions = fresh[promptId]!.sorted { ($0.revision, $0.at) < ($1.revision, $1.at) }
                    try insertImported(db, revisions, passId: incoming.id)
                    imported += revisions.count
                    try recomputeCurrent(db, passId: incoming.id, workbookId: incoming.workbookId, promptId: promptId,
                                         at: now, client: client)
                }
            }
            return ImportResult(imported: imported, skipped: skipped)
        }
    }

    /// Inserts revisions of one (pass, prompt), renumbering any whose number is already taken.
    private func insertImported(_ db: Database, _ revisions: [Revision], passId: String) throws {
        guard let promptId = revisions.first?.promptId else { return }
        var taken = Set(try Int.fetchAll(db, sql: "SELECT revision FROM revisions WHERE passId = ? AND promptId = ?",
                                         arguments: [passId, promptId]))
        for var revision in revisions {
            if taken.contains(revision.revision) { revision.revision = (taken.max() ?? 0) + 1 }
            taken.insert(revision.revision)
            try db.execute(sql: """
                INSERT INTO revisions(uuid, passId, promptId, revision, text, status, at, client, packVersion, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [revision.uuid, passId, promptId, revision.revision, revision.text,
                                 revision.status.rawValue, revision.at, revision.client, revision.packVersion, revision.reason])
        }
    }

    /// Makes the highest revision the current answer; appends `answer.imported` when it changed.
    private func recomputeCurrent(_ db: Database, passId: String, workbookId: String, promptId: String,
                                  at now: String, client: String) throws {
        guard let top = try Row.fetchOne(db, sql: """
            SELECT \(Rows.revisionColumns) FROM revisions WHERE passId = ? AND promptId = ? ORDER BY revision DESC LIMIT 1
            """, arguments: [passId, promptId]).map(Rows.revision) else { return }
        let current = try Self.fetchAnswer(db, passId: passId, promptId: promptId)
        if current?.revision == top.revision { return }
        let answer = Answer(promptId: promptId, passId: passId, text: top.text, status: top.status,
                            revision: top.revision, updatedAt: top.at, client: top.client)
        try upsertAnswer(db, answer, packVersion: top.packVersion, previousText: current?.text)
        try Self.appendChange(db, .answerImported, workbookId: workbookId, passId: passId, promptId: promptId,
                         revision: top.revision, status: top.status, at: now, client: client)
    }
}
