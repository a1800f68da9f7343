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
    /// (named, else the newest) and the answers given in earlier passes.
    public func promptsGet(_ params: PromptsGetParams) throws(WorkbookError) -> PromptView {
        guard let location = catalog.prompt(params.promptId) else { throw .promptNotFound(promptId: params.promptId) }
        return try read { db in
            let pass = try readPass(db, workbookId: location.workbookId, passId: params.passId)
            return try promptView(db, location, pass: pass)
        }
    }

    /// `prompts.next`: the first open prompt (no final answer, not skipped) after `after` in reading
    /// order, wrapping around (`after` itself comes last); nil when none is open.
    public func promptsNext(_ params: PromptsNextParams) throws(WorkbookError) -> PromptView? {
        try read { db in
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
                if status != .final && status != .skipped { return try promptView(db, location, pass: pass) }
            }
            return nil
        }
    }

    /// Builds a `PromptView` for one prompt in one pass (nil pass: no answers).
    func promptView(_ db: Database, _ location: PromptLocation, pass: Pass?) throws -> PromptView {
        let prompt = location.prompt
        let lead = prompt.leadPromptId.flatMap { catalog.item($0)?.item }
        let contexts = (prompt.contextIds ?? []).compactMap { catalog.item($0)?.item }
        var answer: Answer?
        var earlier: [Answer] = []
        if let pass {
            answer = try fetchAnswer(db, passId: pass.id, promptId: prompt.id)
            let passRow = try Int64.fetchOne(db, sql: "SELECT rowid FROM passes WHERE id = ?", arguments: [pass.id]) ?? 0
            earlier = try Row.fetchAll(db, sql: """
                SELECT a.promptId, a.passId, a.text, a.status, a.revision, a.updatedAt, a.client
                FROM answers a JOIN passes p ON p.id = a.passId
                WHERE a.promptId = ? AND p.workbookId = ? AND a.passId <> ?
                  AND (p.startedAt < ? OR (p.startedAt = ? AND p.rowid < ?))
                ORDER BY p.startedAt DESC, p.rowid DESC
                """, arguments: [prompt.id, location.workbookId, pass.id, pass.startedAt, pass.startedAt, passRow])
                .map(Rows.answer)
        }
        return PromptView(workbookId: location.workbookId, prompt: prompt,
                          section: sectionRef(location.sectionId, workbookId: location.workbookId),
                          leadPrompt: lead, contexts: contexts, number: location.index + 1,
                          total: catalog.prompts(in: location.workbookId).count, passId: pass?.id,
                          answer: answer, earlierAnswers: earlier)
    }

    /// Section items at any depth.
    static func sectionCount(_ items: [PackItem]) -> Int {
        items.reduce(0) { $0 + ($1.kind == .section ? 1 + sectionCount($1.items ?? []) : 0) }
    }
}
