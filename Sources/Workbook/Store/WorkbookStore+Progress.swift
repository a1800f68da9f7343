import Foundation
import GRDB

extension WorkbookStore {
    /// `progress.get`: counts for one pass (default workbook, newest pass); zeros and `passId: null`
    /// when the workbook has no pass. Reads only that pass's current answers (one indexed range), and
    /// not even those when nothing was committed since the same reader answered it (`ProgressCache`).
    public func progressGet(_ params: ProgressGetParams) throws(WorkbookError) -> Progress {
        // No cache entry without a version: a probe that fails only costs the cache, never the call.
        let version = try? progressCache?.dataVersion()
        if let version, let hit = progressCache?.lookup(dataVersion: version, workbookId: params.workbookId,
                                                        passId: params.passId) {
            return hit
        }
        let progress = try read { db in
            let (workbookId, pass) = try resolveWorkbook(db, workbookId: params.workbookId, passId: params.passId)
            if catalog.pack(workbookId) == nil { throw WorkbookError.workbookNotFound(workbookId: workbookId) }
            return try computeProgress(db, workbookId: workbookId, pass: pass)
        }
        if let version {
            progressCache?.store(progress, dataVersion: version, workbookId: params.workbookId, passId: params.passId)
        }
        return progress
    }

    /// `progress.list`: progress of the newest pass of every loaded workbook that has a pass, in catalog order.
    public func progressList() throws(WorkbookError) -> [Progress] {
        try read { db in
            try catalog.packs.compactMap { pack in
                guard let pass = try newestPass(db, workbookId: pack.id, openOnly: false) else { return nil }
                return try computeProgress(db, workbookId: pack.id, pass: pass)
            }
        }
    }

    /// Status, word count and time of each current answer of a pass, by prompt id.
    func answerStates(_ db: Database, pass: Pass?) throws -> [String: (status: AnswerStatus, words: Int, at: String)] {
        guard let pass else { return [:] }
        var states: [String: (status: AnswerStatus, words: Int, at: String)] = [:]
        // A cached statement: compiling it (with GRDB's authorizer) cost more than running it.
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT promptId, status, words, updatedAt FROM answers WHERE passId = ?"),
                                       arguments: [pass.id])
        while let row = try rows.next() {
            states[row[0]] = (Rows.status(row[1]), row[2], row[3])
        }
        return states
    }

    /// The title shown for a section id (the workbook's title for prompts outside any section).
    func sectionRef(_ sectionId: String, workbookId: String) -> SectionRef {
        if sectionId == workbookId { return SectionRef(id: sectionId, title: catalog.pack(workbookId)?.title ?? "") }
        return SectionRef(id: sectionId, title: catalog.item(sectionId)?.item.title ?? "")
    }

    /// Progress from one pass's answer states; only prompts of the loaded pack count.
    func computeProgress(_ db: Database, workbookId: String, pass: Pass?) throws -> Progress {
        let states = try answerStates(db, pass: pass)
        var sections: [SectionProgress] = []
        var sectionIndex: [String: Int] = [:]
        var (answered, drafts, skipped, words) = (0, 0, 0, 0)
        var next: String?
        for location in catalog.prompts(in: workbookId) {
            let slot: Int
            if let existing = sectionIndex[location.sectionId] { slot = existing } else {
                let ref = sectionRef(location.sectionId, workbookId: workbookId)
                sections.append(SectionProgress(id: ref.id, title: ref.title, total: 0, answered: 0, drafts: 0, skipped: 0))
                slot = sections.count - 1
                sectionIndex[location.sectionId] = slot
            }
            sections[slot].total += 1
            let state = states[location.prompt.id]
            switch state?.status {
            case .final?: answered += 1; sections[slot].answered += 1
            case .draft?: drafts += 1; sections[slot].drafts += 1
            case .skipped?: skipped += 1; sections[slot].skipped += 1
            case nil: break
            }
            if let state, state.status != .skipped { words += state.words }
            if next == nil && state?.status != .final && state?.status != .skipped { next = location.prompt.id }
        }
        let total = catalog.prompts(in: workbookId).count
        return Progress(workbookId: workbookId, passId: pass?.id, total: total, answered: answered, drafts: drafts,
                        skipped: skipped, remaining: total - answered - skipped,
                        percent: total == 0 ? 0 : answered * 100 / total, words: words, sections: sections,
                        nextPromptId: next, lastActivityAt: states.values.map(\.at).max())
    }
}
