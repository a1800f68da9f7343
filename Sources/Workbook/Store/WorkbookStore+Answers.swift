import Foundation
import GRDB

extension WorkbookStore {
    /// `answers.save`: a new revision unless text (byte for byte) and status equal the current ones.
    ///
    /// `status` omitted keeps the current status when it is draft or final, else draft (an autosave
    /// after "Done" does not silently un-finish an answer); `skipped` is refused (use `answersSkip`).
    /// The server hands saves over with the completion form below; this waits for it.
    public func answersSave(_ params: AnswersSaveParams, client: String) throws(WorkbookError) -> AnswersSaveResult {
        try waitFor { answersSave(params, client: client, completion: $0) }
    }

    /// `answers.save` without waiting: `completion` runs on the group-commit thread once committed.
    public func answersSave(_ params: AnswersSaveParams, client: String,
                            completion: @escaping @Sendable (Result<AnswersSaveResult, WorkbookError>) -> Void) {
        let now = timestamp()
        writeGrouped({ db in try applySave(db, params, at: now, client: client) }) { result in
            completion(result.map { AnswersSaveResult(answer: $0, revision: $0.revision) })
        }
    }

    /// `answers.saveMany`: items in order in one transaction; the first failure aborts all of them and
    /// is reported as `itemFailed(index:error:)`.
    public func answersSaveMany(_ params: AnswersSaveManyParams, client: String) throws(WorkbookError) -> AnswersSaveManyResult {
        try waitFor { answersSaveMany(params, client: client, completion: $0) }
    }

    /// `answers.saveMany` without waiting: `completion` runs on the group-commit thread once committed.
    public func answersSaveMany(_ params: AnswersSaveManyParams, client: String,
                                completion: @escaping @Sendable (Result<AnswersSaveManyResult, WorkbookError>) -> Void) {
        let now = timestamp()
        writeGrouped({ db in try applySaves(db, params, at: now, client: client) }) { result in
            completion(result.map(AnswersSaveManyResult.init(answers:)))
        }
    }

    /// `saveMany`'s items inside the caller's transaction, in order.
    private func applySaves(_ db: Database, _ params: AnswersSaveManyParams, at now: String, client: String) throws -> [Answer] {
        var answers: [Answer] = []
        // Items without a passId share their workbook's newest open pass, looked up (or made) once:
        // the items commit or fail together, so a pass made for one is there for the next.
        var openPasses: [String: Pass] = [:]
        for (index, item) in params.items.enumerated() {
            do {
                answers.append(try applySave(db, item, at: now, client: client, openPasses: &openPasses))
            } catch let error as WorkbookError {
                throw WorkbookError.itemFailed(index: index, error: error)
            }
        }
        return answers
    }

    /// `answers.get`: the current answer, or nil (also when the workbook has no pass yet).
    public func answersGet(_ params: AnswersGetParams) throws(WorkbookError) -> Answer? {
        try read { db in
            guard let pass = try answerPass(db, promptId: params.promptId, passId: params.passId) else { return nil }
            return try Self.fetchAnswer(db, passId: pass.id, promptId: params.promptId)
        }
    }

    /// `answers.history`: every revision, oldest first (works for prompt ids that left the pack when
    /// `passId` is given).
    public func answersHistory(_ params: AnswersHistoryParams) throws(WorkbookError) -> [Revision] {
        try read { db in
            guard let pass = try answerPass(db, promptId: params.promptId, passId: params.passId) else { return [] }
            return try Row.fetchAll(db, sql: """
                SELECT \(Rows.revisionColumns) FROM revisions WHERE passId = ? AND promptId = ? ORDER BY revision
                """, arguments: [pass.id, params.promptId]).map(Rows.revision)
        }
    }

    /// `answers.list`: the answers of one pass in reading order (ids no longer in the pack last, by id).
    public func answersList(_ params: AnswersListParams) throws(WorkbookError) -> [Answer] {
        try read { db in
            let (_, pass) = try resolveWorkbook(db, workbookId: params.workbookId, passId: params.passId)
            guard let pass else { return [] }
            var sql = "SELECT \(Rows.answerColumns) FROM answers WHERE passId = ?"
            var args: StatementArguments = [pass.id]
            if let status = params.status { sql += " AND status = ?"; args += [status.rawValue] }
            let answers = try Row.fetchAll(db, sql: sql, arguments: args).map(Rows.answer)
            return answers.sorted { a, b in
                let (x, y) = (catalog.prompt(a.promptId)?.index ?? Int.max, catalog.prompt(b.promptId)?.index ?? Int.max)
                return x != y ? x < y : a.promptId < b.promptId
            }
        }
    }

    /// `answers.skip`: status skipped, the current text kept (the reason goes to the revision's
    /// `reason`); skipping a skipped answer changes nothing.
    public func answersSkip(_ params: AnswersSkipParams, client: String) throws(WorkbookError) -> AnswersSaveResult {
        guard let location = catalog.prompt(params.promptId) else { throw .promptNotFound(promptId: params.promptId) }
        if let reason = params.reason { try checkNoNUL(reason, field: "reason") }
        let now = timestamp()
        let answer = try write(grouped: true) { db in
            let pass = try writePass(db, workbookId: location.workbookId, passId: params.passId, at: now, client: client)
            let current = try Self.fetchAnswer(db, passId: pass.id, promptId: params.promptId)
            try checkExpected(params.expectedRevision, current: current, promptId: params.promptId, passId: pass.id)
            if let current, current.status == .skipped { return current }
            return try appendRevision(db, pass: pass, promptId: params.promptId, text: current?.text ?? "",
                                      status: .skipped, current: current, reason: params.reason,
                                      change: .answerSkipped, at: now, client: client)
        }
        return AnswersSaveResult(answer: answer, revision: answer.revision)
    }

    /// `answers.restore`: appends a revision copying revision `revision`'s text and status (nothing
    /// when they equal the current ones); an unknown revision is an invalid argument.
    public func answersRestore(_ params: AnswersRestoreParams, client: String) throws(WorkbookError) -> AnswersSaveResult {
        guard let location = catalog.prompt(params.promptId) else { throw .promptNotFound(promptId: params.promptId) }
        let now = timestamp()
        let answer = try write(grouped: true) { db in
            let pass = try writePass(db, workbookId: location.workbookId, passId: params.passId, at: now, client: client)
            let current = try Self.fetchAnswer(db, passId: pass.id, promptId: params.promptId)
            try checkExpected(params.expectedRevision, current: current, promptId: params.promptId, passId: pass.id)
            guard let source = try Row.fetchOne(db, sql: """
                SELECT \(Rows.revisionColumns) FROM revisions WHERE passId = ? AND promptId = ? AND revision = ?
                """, arguments: [pass.id, params.promptId, params.revision]).map(Rows.revision)
            else { throw WorkbookError.invalidArgument(field: "revision", reason: "no revision \(params.revision) of \(params.promptId) in pass \(pass.id)") }
            if let current, current.status == source.status, current.text.utf8.elementsEqual(source.text.utf8) {
                return current
            }
            return try appendRevision(db, pass: pass, promptId: params.promptId, text: source.text, status: source.status,
                                      current: current, reason: "restored from revision \(source.revision)",
                                      change: .answerRestored, at: now, client: client)
        }
        return AnswersSaveResult(answer: answer, revision: answer.revision)
    }

    /// One save inside the caller's transaction.
    func applySave(_ db: Database, _ params: AnswersSaveParams, at now: String, client: String) throws -> Answer {
        var openPasses: [String: Pass] = [:]
        return try applySave(db, params, at: now, client: client, openPasses: &openPasses)
    }

    /// One save inside the caller's transaction; `openPasses` remembers each workbook's open pass
    /// for the saves that follow in the same all-or-nothing write.
    func applySave(_ db: Database, _ params: AnswersSaveParams, at now: String, client: String,
                   openPasses: inout [String: Pass]) throws -> Answer {
        guard let location = catalog.prompt(params.promptId) else { throw WorkbookError.promptNotFound(promptId: params.promptId) }
        try checkNoNUL(params.text, field: "text")
        let bytes = params.text.utf8.count
        if bytes > options.maxAnswerBytes {
            throw WorkbookError.answerTooLarge(promptId: params.promptId, bytes: bytes, limit: options.maxAnswerBytes)
        }
        if params.status == .skipped {
            throw WorkbookError.invalidArgument(field: "status", reason: "must be draft or final (use answers.skip)")
        }
        let pass: Pass
        if params.passId == nil, let known = openPasses[location.workbookId] {
            pass = known
        } else {
            pass = try writePass(db, workbookId: location.workbookId, passId: params.passId, at: now, client: client)
            if params.passId == nil { openPasses[location.workbookId] = pass }
        }
        let current = try Self.fetchAnswer(db, passId: pass.id, promptId: params.promptId)
        try checkExpected(params.expectedRevision, current: current, promptId: params.promptId, passId: pass.id)
        let status = params.status ?? (current?.status == .final ? .final : .draft)
        if let current, current.status == status, current.text.utf8.elementsEqual(params.text.utf8) { return current }
        return try appendRevision(db, pass: pass, promptId: params.promptId, text: params.text, status: status,
                                  current: current, reason: nil, change: .answerSaved, at: now, client: client)
    }

    /// Throws `revisionConflict` (with the current answer) when `expected` is given and differs.
    func checkExpected(_ expected: Int?, current: Answer?, promptId: String, passId: String) throws {
        guard let expected else { return }
        let revision = current?.revision ?? 0
        if expected != revision {
            throw WorkbookError.revisionConflict(promptId: promptId, passId: passId, currentRevision: revision, current: current)
        }
    }

    /// Appends revision current+1, makes it the current answer (its text change recorded for the
    /// search index) and logs `change`.
    func appendRevision(_ db: Database, pass: Pass, promptId: String, text: String, status: AnswerStatus,
                        current: Answer?, reason: String?, change: ChangeType, at now: String,
                        client: String) throws -> Answer {
        let revision = (current?.revision ?? 0) + 1
        let version = packVersion(pass.workbookId)
        try Self.insertRevision(db, uuid: RandomID.timeOrdered(at: options.clock()), passId: pass.id, promptId: promptId,
                                revision: revision, text: text, status: status, at: now, client: client,
                                packVersion: version, reason: reason)
        let answer = Answer(promptId: promptId, passId: pass.id, text: text, status: status, revision: revision,
                            updatedAt: now, client: client)
        try upsertAnswer(db, answer, packVersion: version, previousText: current?.text)
        try Self.appendChange(db, change, workbookId: pass.workbookId, passId: pass.id, promptId: promptId,
                         revision: revision, status: status, at: now, client: client)
        return answer
    }

    /// Appends a revision row. Public, like the other row writes of a save, for the benchmark's
    /// storage floor, which runs the same statements the same way.
    public static func insertRevision(_ db: Database, uuid: String, passId: String, promptId: String, revision: Int,
                                      text: String, status: AnswerStatus, at: String, client: String,
                                      packVersion: String, reason: String?) throws {
        try RawStatement.with(db, """
            INSERT INTO revisions(uuid, passId, promptId, revision, text, status, at, client, packVersion, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """) { insert in
            insert.bind(1, uuid); insert.bind(2, passId); insert.bind(3, promptId); insert.bind(4, revision)
            insert.bind(5, text); insert.bind(6, status.rawValue); insert.bind(7, at); insert.bind(8, client)
            insert.bind(9, packVersion); insert.bind(10, reason)
            try insert.execute()
        }
    }

    /// Makes `answer` the current answer row of its (pass, prompt) and returns the row's rowid.
    public static func upsertAnswerRow(_ db: Database, _ answer: Answer, packVersion: String) throws -> Int64 {
        let rowid = try RawStatement.with(db, """
            INSERT INTO answers(passId, promptId, text, status, revision, updatedAt, client, packVersion, words)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(passId, promptId) DO UPDATE SET text = excluded.text, status = excluded.status,
              revision = excluded.revision, updatedAt = excluded.updatedAt, client = excluded.client,
              packVersion = excluded.packVersion, words = excluded.words
            RETURNING id
            """) { upsert -> Int64? in
            upsert.bind(1, answer.passId); upsert.bind(2, answer.promptId); upsert.bind(3, answer.text)
            upsert.bind(4, answer.status.rawValue); upsert.bind(5, answer.revision); upsert.bind(6, answer.updatedAt)
            upsert.bind(7, answer.client); upsert.bind(8, packVersion); upsert.bind(9, WordCount.count(answer.text))
            return try upsert.step() ? upsert.int64(0) : nil
        }
        guard let rowid else {
            throw WorkbookError.storageFailure(kind: .storageCorrupt, reason: "an answer upsert returned no row")
        }
        return rowid
    }

    /// Writes the current answer of (pass, prompt), whose text was `previousText` (nil: no row yet),
    /// and records the text change for the search index (`AnswerIndex`, applied before commit).
    func upsertAnswer(_ db: Database, _ answer: Answer, packVersion: String, previousText: String?) throws {
        let rowid = try Self.upsertAnswerRow(db, answer, packVersion: packVersion)
        answerIndex.record(rowid: rowid, old: previousText, new: answer.text)
    }

    /// The pass a per-prompt read uses; a named pass may hold prompt ids that left the pack.
    func answerPass(_ db: Database, promptId: String, passId: String?) throws -> Pass? {
        let location = catalog.prompt(promptId)
        if let passId {
            let pass = try requirePass(db, passId)
            if let location { try checkPass(pass, belongsTo: location.workbookId) }
            return pass
        }
        guard let location else { throw WorkbookError.promptNotFound(promptId: promptId) }
        return try newestPass(db, workbookId: location.workbookId, openOnly: false)
    }
}
