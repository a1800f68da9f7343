import Foundation
import XCTest
@testable import Workbook

final class StoreProgressTests: XCTestCase {
    func testProgressThroughTheStandardWorkbook() throws {
        // Given the standard 22-prompt workbook and an empty store
        let clock = TestClock()
        let store = try makeStore(catalog: .standard, clock: clock)
        let ids = WorkbookCatalog.standard.prompts(in: "solidarity").map(\.prompt.id)
        XCTAssertEqual(ids.count, 22)
        func progress() throws -> WorkbookProgress { try store.progressGet(ProgressGetParams()) }
        func save(_ i: Int, _ text: String, _ status: AnswerStatus) throws {
            clock.advance()
            _ = try store.answersSave(AnswersSaveParams(promptId: ids[i], text: text, status: status), client: "t")
        }
        // Then with no pass: zeros, passId null, next is the first prompt
        var p = try progress()
        XCTAssertNil(p.passId)
        XCTAssertEqual([p.total, p.answered, p.drafts, p.skipped, p.remaining, p.percent, p.words], [22, 0, 0, 0, 22, 0, 0])
        XCTAssertEqual(p.nextPromptId, "what-is-solidarity.better-future")
        XCTAssertEqual(p.sections.map(\.id), ["what-is-solidarity", "defining-solidarity.who",
                                              "defining-solidarity.meaning", "defining-solidarity.allyship"])
        XCTAssertEqual(p.sections.map(\.total), [4, 6, 7, 5])
        XCTAssertEqual(p.sections[1].title, "Who do I want to stand in solidarity with?")
        XCTAssertNil(p.lastActivityAt)
        // When a draft is saved: it counts as a draft and its words, and stays next
        try save(0, "one two  three\n", .draft)
        p = try progress()
        XCTAssertEqual([p.answered, p.drafts, p.skipped, p.remaining, p.percent, p.words], [0, 1, 0, 22, 0, 3])
        XCTAssertEqual(p.nextPromptId, ids[0])
        XCTAssertEqual(p.lastActivityAt, clock.stamp)
        // When it becomes final: 1/22 = 4 %
        try save(0, "one two three — four!", .final)
        p = try progress()
        XCTAssertEqual([p.answered, p.drafts, p.skipped, p.remaining, p.percent, p.words], [1, 0, 0, 21, 4, 4])
        XCTAssertEqual(p.nextPromptId, ids[1])
        // When prompt 1 is skipped and 2...5 are final
        clock.advance()
        _ = try store.answersSkip(AnswersSkipParams(promptId: ids[1], reason: "not now"), client: "t")
        for i in 2...5 { try save(i, "word", .final) }
        p = try progress()
        XCTAssertEqual([p.answered, p.drafts, p.skipped, p.remaining, p.percent, p.words], [5, 0, 1, 16, 22, 8])
        XCTAssertEqual(p.nextPromptId, ids[6])
        // When prompt 6 gets a draft, then is skipped: its words no longer count
        try save(6, "a b c", .draft)
        XCTAssertEqual(try progress().words, 11)
        _ = try store.answersSkip(AnswersSkipParams(promptId: ids[6]), client: "t")
        p = try progress()
        XCTAssertEqual([p.answered, p.drafts, p.skipped, p.remaining, p.percent, p.words], [5, 0, 2, 15, 22, 8])
        XCTAssertEqual(p.sections.map(\.answered), [3, 2, 0, 0])
        XCTAssertEqual(p.sections.map(\.skipped), [1, 1, 0, 0])
        XCTAssertEqual(p.nextPromptId, ids[7])
        // When every other prompt is final: remaining 0 exactly when next is null, 20/22 = 90 %
        for i in 7..<22 { try save(i, "x y", .final) }
        p = try progress()
        XCTAssertEqual([p.answered, p.drafts, p.skipped, p.remaining, p.percent, p.words], [20, 0, 2, 0, 90, 38])
        XCTAssertNil(p.nextPromptId)
        XCTAssertEqual(p.lastActivityAt, clock.stamp)
        XCTAssertEqual(try store.progressList(), [p])
        XCTAssertNil(try store.promptsNext(PromptsNextParams()))
    }

    func testPromptsNextWrapsAround() throws {
        // Given p1, p2 final and p3 draft
        let store = try makeStore()
        for (id, status) in [("p1", AnswerStatus.final), ("p2", .final), ("p3", .draft)] {
            _ = try store.answersSave(AnswersSaveParams(promptId: id, text: "t", status: status), client: "x")
        }
        // Then next from the start is p3, after p3 is p4, after p4 wraps to p3
        XCTAssertEqual(try store.promptsNext(PromptsNextParams())?.prompt.id, "p3")
        XCTAssertEqual(try store.promptsNext(PromptsNextParams(after: "p3"))?.prompt.id, "p4")
        XCTAssertEqual(try store.promptsNext(PromptsNextParams(after: "p4"))?.prompt.id, "p3")
        // When only p3 is open, after p3 comes p3 itself
        _ = try store.answersSave(AnswersSaveParams(promptId: "p4", text: "t", status: .final), client: "x")
        XCTAssertEqual(try store.promptsNext(PromptsNextParams(after: "p3"))?.prompt.id, "p3")
        // And unknown or foreign `after` ids are refused
        XCTAssertEqual(error { () throws(WorkbookError) in try store.promptsNext(PromptsNextParams(after: "c1")) },
                       .promptNotFound(promptId: "c1"))
        XCTAssertEqual(error { () throws(WorkbookError) in try store.promptsNext(PromptsNextParams(after: "b1")) },
                       .invalidArgument(field: "after", reason: "b1 is not a prompt of alpha"))
    }

    func testPromptsGetShowsContextLeadAndEarlierAnswers() throws {
        // Given an answer in a closed first pass and another in a second pass
        let clock = TestClock()
        let store = try makeStore(clock: clock)
        let first = try store.passesStart(PassesStartParams(workbookId: "alpha"), client: "x")
        let old = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "old"), client: "x").answer
        _ = try store.passesClose(PassesCloseParams(passId: first.id), client: "x")
        clock.advance()
        let new = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "new"), client: "x").answer
        // When reading p1 (newest pass) and p1 in the first pass
        let view = try store.promptsGet(PromptsGetParams(promptId: "p1"))
        let earlierView = try store.promptsGet(PromptsGetParams(promptId: "p1", passId: first.id))
        // Then the view holds the section, contexts, the answer and earlier answers newest first
        XCTAssertEqual(view.section, SectionRef(id: "s1", title: "First"))
        XCTAssertEqual(view.contexts.map(\.id), ["c1"])
        XCTAssertNil(view.leadPrompt)
        XCTAssertEqual([view.number, view.total], [1, 4])
        XCTAssertEqual(view.passId, new.passId)
        XCTAssertEqual(view.answer, new)
        XCTAssertEqual(view.earlierAnswers, [old])
        XCTAssertFalse(view.earlierMore)
        XCTAssertEqual(earlierView.answer, old)
        XCTAssertEqual(earlierView.earlierAnswers, [])
        XCTAssertFalse(earlierView.earlierMore)
        // And a sub-question names its lead; a context id is not a prompt
        XCTAssertEqual(try store.promptsGet(PromptsGetParams(promptId: "p2")).leadPrompt?.id, "p1")
        XCTAssertEqual(error { () throws(WorkbookError) in try store.promptsGet(PromptsGetParams(promptId: "c1")) },
                       .promptNotFound(promptId: "c1"))
        // And the JSON shape has explicit nulls for a prompt with no answer
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(store.promptsGet(PromptsGetParams(promptId: "b1"))), as: UTF8.self)
        XCTAssertEqual(json, #"{"answer":null,"contexts":[],"earlierAnswers":[],"earlierMore":false,"number":1,"passId":null,"prompt":{"id":"b1","kind":"prompt","text":"Beta question?"},"section":{"id":"beta","title":"Beta"},"total":1,"workbookId":"beta"}"#)
    }

    func testWorkbooksListAndGet() throws {
        // Given the fixture catalog and the standard one
        let store = try makeStore()
        let standard = try makeStore(catalog: .standard)
        // Then summaries count sections (nested too) and prompts
        let list = store.workbooksList()
        XCTAssertEqual(list.map(\.id), ["alpha", "beta"])
        XCTAssertEqual(list.map(\.sectionCount), [2, 0])
        XCTAssertEqual(list.map(\.promptCount), [4, 1])
        XCTAssertEqual(list[0].attribution, StoreFixtures.alpha.attribution)
        XCTAssertEqual(standard.workbooksList().map { [$0.sectionCount, $0.promptCount] }, [[5, 22]])
        // And get returns the items in reading order
        let doc = try store.workbooksGet(WorkbooksGetParams(workbookId: "alpha"))
        XCTAssertEqual(doc.items, StoreFixtures.alpha.items)
        XCTAssertEqual(error { () throws(WorkbookError) in try store.workbooksGet(WorkbooksGetParams(workbookId: "x")) },
                       .workbookNotFound(workbookId: "x"))
    }
}
