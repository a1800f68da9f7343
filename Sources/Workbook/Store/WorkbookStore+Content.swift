import Foundation
import GRDB

extension WorkbookStore {
    /// `workbooks.list`: every loaded workbook, in catalog order (the default first).
    public func workbooksList() -> [WorkbookSummary] {
        catalog.packs.map { pack in
            WorkbookSummary(id: pack.id, version: pack.version, title: pack.title, summary: pack.summary,
                            attribution: pack.attribution, sectionCount: Self.sectionCount(pack.items),
                            promptCount: catalog.prompts(in: pack.id).count)
        }
    }

    /// `workbooks.get`: the pack as served, items in reading order.
    public func workbooksGet(_ params: WorkbooksGetParams) throws(WorkbookError) -> WorkbookDocument {
        guard let pack = catalog.pack(params.workbookId) else { throw .workbookNotFound(workbookId: params.workbookId) }
        return WorkbookDocument(id: pack.id, version: pack.version, title: pack.title, summary: pack.summary,
                                language: pack.language, attribution: pack.attribution,
                                sectionCount: Self.sectionCount(pack.items),
                                promptCount: catalog.prompts(in: pack.id).count, items: pack.items)
    }

    /// `prompts.get`: the prompt, its section, lead prompt, contexts, the answer in the pass read
    /// (named, else the newest) and a page of the answers given in earlier passes: at most
    /// `earlierLimit` (default 10, 0…100), newest first, from passes started before the pass read or,
    /// to page on, before `earlierBefore` (whichever is older).
    public func promptsGet(_ params: PromptsGetParams) throws(WorkbookError) -> PromptView {
        guard let location = catalog.prompt(params.promptId) else { throw .promptNotFound(promptId: params.promptId) }
        let limit = try Self.earlierLimit(params.earlierLimit)
        return try read { db in
            let pass = try readPass(db, workbookId: location.workbookId, passId: params.passId)
            let before = try params.earlierBefore.map { id in
                let before = try requirePass(db, id)
                try checkPass(before, belongsTo: location.workbookId, field: "earlierBefore")
                return before
            }
            return try promptView(db, location, pass: pass, earlierLimit: limit, earlierBefore: before)
        }
    }

    /// `prompts.next`: the first open prompt (no final answer, not skipped) after `after` in reading
    /// order, wrapping around (`after` itself comes last); nil when none is open. Its earlier
    /// answers are bounded by `earlierLimit` as in `promptsGet`.
    public func promptsNext(_ params: PromptsNextParams) throws(WorkbookError) -> PromptView? {
        let limit = try Self.earlierLimit(params.earlierLimit)
        return try read { db in
            let (workbookId, pass) = try resolveWorkbook(db, workbookId: params.workbookId, passId: params.passId)
            let prompts = catalog.prompts(in: workbookId)
            var start = 0
            if let after = params.after {
                guard let location = catalog.prompt(after) else { throw WorkbookError.promptNotFound(promptId: after) }
                guard location.workbookId == workbookId else {
                    throw WorkbookError.invalidArgument(field: "after", reason: "\(after) is not a prompt of \(workbookId)")
                }
                start = location.index + 1
            }
            let states = try answerStates(db, pass: pass)
            for step in 0..<prompts.count {
                let location = prompts[(start + step) % prompts.count]
                let status = states[location.prompt.id]?.status
                if status != .final && status != .skipped {
                    return try promptView(db, location, pass: pass, earlierLimit: limit)
                }
            }
            return nil
        }
    }

    /// Earlier answers a prompt view holds when `earlierLimit` is omitted.
    public static let defaultEarlierLimit = 10
    /// The largest `earlierLimit` accepted (larger is refused, not capped).
    public static let maxEarlierLimit = 100

    /// `earlierLimit` checked: omitted = the default; outside 0…`maxEarlierLimit` is refused.
    static func earlierLimit(_ value: Int?) throws(WorkbookError) -> Int {
        guard let value else { return defaultEarlierLimit }
        guard (0...maxEarlierLimit).contains(value) else {
            throw .invalidArgument(field: "earlierLimit", reason: "must be between 0 and \(maxEarlierLimit)")
        }
        return value
    }

    /// Builds a `PromptView` for one prompt in one pass (nil pass: no answers), with at most
    /// `earlierLimit` earlier answers from passes before both `pass` and `earlierBefore`.
    func promptView(_ db: Database, _ location: PromptLocation, pass: Pass?, earlierLimit: Int,
                    earlierBefore: Pass? = nil) throws -> PromptView {
        let prompt = location.prompt
        let lead = prompt.leadPromptId.flatMap { catalog.item($0)?.item }
        let contexts = (prompt.contextIds ?? []).compactMap { catalog.item($0)?.item }
        var answer: Answer?
        var earlier: (answers: [Answer], more: Bool) = ([], false)
        if let pass {
            answer = try Self.fetchAnswer(db, passId: pass.id, promptId: prompt.id)
            var position = try passPosition(db, pass)
            if let earlierBefore { position = try min(position, passPosition(db, earlierBefore)) }
            earlier = try earlierAnswers(db, promptId: prompt.id, workbookId: location.workbookId,
                                         before: position, limit: earlierLimit)
        }
        return PromptView(workbookId: location.workbookId, prompt: prompt,
                          section: sectionRef(location.sectionId, workbookId: location.workbookId),
                          leadPrompt: lead, contexts: contexts, number: location.index + 1,
                          total: catalog.prompts(in: location.workbookId).count, passId: pass?.id,
                          answer: answer, earlierAnswers: earlier.answers, earlierMore: earlier.more)
    }

    /// A pass's place in its workbook's order of passes: start time, ties broken by rowid.
    struct PassPosition: Comparable {
        /// RFC 3339 UTC with milliseconds (so text order is time order).
        var startedAt: String
        /// The pass's rowid, in creation order.
        var rowid: Int64

        static func < (a: PassPosition, b: PassPosition) -> Bool { (a.startedAt, a.rowid) < (b.startedAt, b.rowid) }
    }

    /// Where `pass` stands in the order of passes.
    func passPosition(_ db: Database, _ pass: Pass) throws -> PassPosition {
        let rowid = try Int64.fetchOne(db.cachedStatement(sql: "SELECT rowid FROM passes WHERE id = ?"), arguments: [pass.id])
        return PassPosition(startedAt: pass.startedAt, rowid: rowid ?? 0)
    }

    /// Up to `limit` answers to `promptId` from the workbook's passes ordered before `position`,
    /// newest first, and whether more exist (one row past `limit` is fetched; nothing is counted).
    func earlierAnswers(_ db: Database, promptId: String, workbookId: String, before position: PassPosition,
                        limit: Int) throws -> (answers: [Answer], more: Bool) {
        let rows = try Row.fetchAll(db.cachedStatement(sql: Self.earlierAnswersSQL), arguments: [
            promptId, workbookId, position.startedAt, position.startedAt, position.rowid, limit + 1,
        ])
        return (rows.prefix(limit).map(Rows.answer), rows.count > limit)
    }

    /// Earlier answers, driven from `passes` in (workbookId, startedAt DESC, rowid DESC) order through
    /// `passes_by_workbook` (SQLite appends the rowid to index entries, so no sort is needed), each
    /// pass probed for its answer through the UNIQUE (passId, promptId) index; `CROSS JOIN` keeps
    /// `passes` the outer loop. The walk stops after `LIMIT` answers, so its cost follows the page
    /// size (and the passes in between without an answer), not every pass that answered the prompt.
    /// Arguments: promptId, workbookId, startedAt, startedAt, rowid, limit. Public so the benchmark's
    /// storage floor runs this very statement.
    public static let earlierAnswersSQL = """
        SELECT a.promptId, a.passId, a.text, a.status, a.revision, a.updatedAt, a.client
        FROM passes p CROSS JOIN answers a ON a.passId = p.id AND a.promptId = ?
        WHERE p.workbookId = ? AND (p.startedAt < ? OR (p.startedAt = ? AND p.rowid < ?))
        ORDER BY p.startedAt DESC, p.rowid DESC
        LIMIT ?
        """

    /// Section items at any depth.
    static func sectionCount(_ items: [PackItem]) -> Int {
        items.reduce(0) { $0 + ($1.kind == .section ? 1 + sectionCount($1.items ?? []) : 0) }
    }
}
