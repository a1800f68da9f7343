import Foundation
import GRDB

/// Row → domain value decoding, with the column lists the queries select.
enum Rows {
    static let passColumns = "id, workbookId, title, startedAt, closedAt"
    static let answerColumns = "promptId, passId, text, status, revision, updatedAt, client"
    static let revisionColumns = "uuid, passId, promptId, revision, text, status, at, client, packVersion, reason"
    static let changeColumns = "cursor, type, workbookId, passId, promptId, revision, status, at, client"

    static func pass(_ row: Row) -> Pass {
        Pass(id: row["id"], workbookId: row["workbookId"], title: row["title"], startedAt: row["startedAt"],
             closedAt: row["closedAt"])
    }

    static func answer(_ row: Row) -> Answer {
        Answer(promptId: row["promptId"], passId: row["passId"], text: row["text"],
               status: status(row["status"]), revision: row["revision"], updatedAt: row["updatedAt"],
               client: row["client"])
    }

    /// The same from a raw statement that selected `answerColumns`.
    static func answer(_ row: RawStatement) -> Answer {
        Answer(promptId: row.text(0), passId: row.text(1), text: row.text(2), status: status(row.text(3)),
               revision: row.int(4), updatedAt: row.text(5), client: row.text(6))
    }

    static func revision(_ row: Row) -> Revision {
        Revision(uuid: row["uuid"], passId: row["passId"], promptId: row["promptId"], revision: row["revision"],
                 text: row["text"], status: status(row["status"]), at: row["at"], client: row["client"],
                 packVersion: row["packVersion"], reason: row["reason"])
    }

    static func change(_ row: Row) -> Change {
        let statusText: String? = row["status"]
        return Change(cursor: row["cursor"], type: ChangeType(rawValue: row["type"]) ?? .answerSaved,
                      workbookId: row["workbookId"], passId: row["passId"], promptId: row["promptId"],
                      revision: row["revision"], status: statusText.map(status), at: row["at"],
                      client: row["client"])
    }

    /// The CHECK constraint guarantees one of the three.
    static func status(_ text: String) -> AnswerStatus { AnswerStatus(rawValue: text) ?? .draft }
}

extension WorkbookStore {
    /// Appends one entry to the change log. Public, like the row writes of a save, for the
    /// benchmark's storage floor.
    public static func appendChange(_ db: Database, _ type: ChangeType, workbookId: String, passId: String?,
                                    promptId: String? = nil, revision: Int? = nil, status: AnswerStatus? = nil,
                                    at: String, client: String) throws {
        try RawStatement.with(db, """
            INSERT INTO changes(type, workbookId, passId, promptId, revision, status, at, client)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """) { change in
            change.bind(1, type.rawValue); change.bind(2, workbookId); change.bind(3, passId); change.bind(4, promptId)
            change.bind(5, revision); change.bind(6, status?.rawValue); change.bind(7, at); change.bind(8, client)
            try change.execute()
        }
    }

    /// The current answer of one prompt in one pass.
    public static func fetchAnswer(_ db: Database, passId: String, promptId: String) throws -> Answer? {
        try RawStatement.with(db, fetchAnswerSQL) { answer in
            answer.bind(1, passId); answer.bind(2, promptId)
            return try answer.step() ? Rows.answer(answer) : nil
        }
    }

    private static let fetchAnswerSQL = "SELECT \(Rows.answerColumns) FROM answers WHERE passId = ? AND promptId = ?"

    /// The pack version answers to `workbookId` are written against ("" for an unloaded workbook).
    func packVersion(_ workbookId: String) -> String { catalog.pack(workbookId)?.version ?? "" }

    /// Rejects U+0000 (GRDB reads TEXT as C strings) in any free text a request stores.
    func checkNoNUL(_ text: String, field: String) throws(WorkbookError) {
        if text.utf8.contains(0) { throw .invalidArgument(field: field, reason: "must not contain U+0000") }
    }
}
