import Foundation
import GRDB
import XCTest
@testable import Workbook

/// `prompts.get` / `prompts.next` earlier answers: a bounded page (`earlierLimit`, default 10,
/// 0…100), paged with `earlierBefore`, `earlierMore` from one row past the page, and a query whose
/// cost follows the page size (issue 9).
final class StorePromptsEarlierTests: XCTestCase {
    /// Starts `count` passes of alpha, oldest first, each answering `promptId` with "answer N"
    /// (N from 0), then one newer pass without answers (the pass read by default). Returns the
    /// answered passes' ids, oldest first, and the newest pass.
    private func answeredPasses(_ store: WorkbookStore, _ clock: TestClock, count: Int,
                                promptId: String = "p1") throws -> (ids: [String], newest: Pass) {
        var ids: [String] = []
        for n in 0..<count {
            let pass = try store.passesStart(PassesStartParams(workbookId: "alpha"), client: "x")
            _ = try store.answersSave(AnswersSaveParams(promptId: promptId, text: "answer \(n)", passId: pass.id), client: "x")
            ids.append(pass.id)
            clock.advance()
        }
        return (ids, try store.passesStart(PassesStartParams(workbookId: "alpha"), client: "x"))
    }

    /// Pass ids of a view's earlier answers, in the order served.
    private func passIds(_ view: PromptView) -> [String] { view.earlierAnswers.map(\.passId) }

    func testTheDefaultPageHoldsTenNewestFirstAndEarlierMoreMarksTheBoundary() throws {
        // Given exactly 10 earlier passes answering p1
        let clock = TestClock()
        let store = try makeStore(clock: clock)
        let (ten, _) = try answeredPasses(store, clock, count: 10)
        // When reading p1 in the newest pass without earlierLimit
        let all = try store.promptsGet(PromptsGetParams(promptId: "p1"))
        // Then all 10 are served newest first, and nothing more exists
        XCTAssertEqual(passIds(all), Array(ten.reversed()))
        XCTAssertEqual(all.earlierAnswers.first?.text, "answer 9")
        XCTAssertFalse(all.earlierMore)
        XCTAssertEqual(WorkbookStore.defaultEarlierLimit, 10)

        // Given 11 earlier passes
        let clock11 = TestClock()
        let store11 = try makeStore(clock: clock11)
        let (eleven, _) = try answeredPasses(store11, clock11, count: 11)
        // When reading p1 by default
        let page = try store11.promptsGet(PromptsGetParams(promptId: "p1"))
        // Then the newest 10 are served and earlierMore says the oldest is left out
        XCTAssertEqual(passIds(page), Array(eleven.suffix(10).reversed()))
        XCTAssertTrue(page.earlierMore)
    }

    func testLimitZeroServesNoAnswersButStillTellsWhetherAnyExist() throws {
        // Given two earlier passes answering p1 (and none answering p2)
        let clock = TestClock()
        let store = try makeStore(clock: clock)
        _ = try answeredPasses(store, clock, count: 2)
        // When reading with earlierLimit 0
        let p1 = try store.promptsGet(PromptsGetParams(promptId: "p1", earlierLimit: 0))
        let p2 = try store.promptsGet(PromptsGetParams(promptId: "p2", earlierLimit: 0))
        // Then no answers are served; earlierMore is true only where earlier answers exist
        XCTAssertEqual(p1.earlierAnswers, [])
        XCTAssertTrue(p1.earlierMore)
        XCTAssertEqual(p2.earlierAnswers, [])
        XCTAssertFalse(p2.earlierMore)
    }

    func testLimitOneHundredIsTheLargestPage() throws {
        // Given 101 earlier passes answering p1
        let clock = TestClock()
        let store = try makeStore(clock: clock)
        let (ids, _) = try answeredPasses(store, clock, count: 101)
        // When reading with earlierLimit 100
        let view = try store.promptsGet(PromptsGetParams(promptId: "p1", earlierLimit: 100))
        // Then the newest 100 are served, and the oldest one is left for the next page
        XCTAssertEqual(passIds(view), Array(ids.suffix(100).reversed()))
        XCTAssertTrue(view.earlierMore)
        XCTAssertEqual(WorkbookStore.maxEarlierLimit, 100)
    }

    func testALimitOutOfRangeIsRefusedByNameAndChangesNothing() throws {
        // Given a store with two earlier passes
        let clock = TestClock()
        let store = try makeStore(clock: clock)
        _ = try answeredPasses(store, clock, count: 2)
        let before = try ["passes", "answers", "revisions", "changes"].map { try count(store, $0) }
        // When earlierLimit is 101 or -1, on prompts.get and prompts.next
        let refused = WorkbookError.invalidArgument(field: "earlierLimit", reason: "must be between 0 and 100")
        for limit in [101, -1, Int.max, Int.min] {
            XCTAssertEqual(error { () throws(WorkbookError) in try store.promptsGet(PromptsGetParams(promptId: "p1", earlierLimit: limit)) },
                           refused, "prompts.get earlierLimit \(limit)")
            XCTAssertEqual(error { () throws(WorkbookError) in try store.promptsNext(PromptsNextParams(earlierLimit: limit)) },
                           refused, "prompts.next earlierLimit \(limit)")
        }
        // Then nothing was stored or changed
        XCTAssertEqual(try ["passes", "answers", "revisions", "changes"].map { try count(store, $0) }, before)
    }

    func testPagingWithEarlierBeforeWalksEveryEarlierAnswerOnceInOrder() throws {
        // Given 23 alpha passes, some started in the same millisecond (ordered by creation), some
        // without an answer to p1, and beta passes in between
        let clock = TestClock()
        let store = try makeStore(clock: clock)
        var expected: [String] = []
        for n in 0..<23 {
            let pass = try store.passesStart(PassesStartParams(workbookId: "alpha"), client: "x")
            let promptId = n % 5 == 3 ? "p2" : "p1"
            _ = try store.answersSave(AnswersSaveParams(promptId: promptId, text: "answer \(n)", passId: pass.id), client: "x")
            if promptId == "p1" { expected.append(pass.id) }
            if n % 4 == 0 {
                let beta = try store.passesStart(PassesStartParams(workbookId: "beta"), client: "x")
                _ = try store.answersSave(AnswersSaveParams(promptId: "b1", text: "beta", passId: beta.id), client: "x")
            }
            if n % 3 == 2 { clock.advance() }  // otherwise the next pass starts in the same millisecond
        }
        let newest = try store.passesStart(PassesStartParams(workbookId: "alpha"), client: "x")
        expected.reverse()
        // When paging 4 at a time, each call naming the last earlier answer's pass
        var walked: [String] = []
        var page = try store.promptsGet(PromptsGetParams(promptId: "p1", earlierLimit: 4))
        var calls = 1
        walked += passIds(page)
        while page.earlierMore, let last = page.earlierAnswers.last, calls < 20 {
            page = try store.promptsGet(PromptsGetParams(promptId: "p1", earlierLimit: 4, earlierBefore: last.passId))
            XCTAssertEqual(page.passId, newest.id, "the answer is still read from the newest pass")
            walked += passIds(page)
            calls += 1
        }
        // Then every earlier answer came exactly once, newest first, and the last page says no more
        XCTAssertEqual(walked, expected)
        XCTAssertEqual(calls, (expected.count + 3) / 4)
        XCTAssertFalse(page.earlierMore)
    }

    func testEarlierBeforeNeverReachesPastThePassRead() throws {
        // Given 6 earlier passes answering p1
        let clock = TestClock()
        let store = try makeStore(clock: clock)
        let (ids, newest) = try answeredPasses(store, clock, count: 6)
        // When reading p1 in the fourth pass with earlierBefore naming a newer pass
        let view = try store.promptsGet(PromptsGetParams(promptId: "p1", passId: ids[3], earlierBefore: newest.id))
        // Then earlier answers still come only from passes before the pass read
        XCTAssertEqual(view.answer?.passId, ids[3])
        XCTAssertEqual(passIds(view), [ids[2], ids[1], ids[0]])
        XCTAssertFalse(view.earlierMore)
        // And earlierBefore naming the pass read itself changes nothing
        XCTAssertEqual(try store.promptsGet(PromptsGetParams(promptId: "p1", passId: ids[3], earlierBefore: ids[3])), view)
    }

    func testEarlierBeforeUnknownOrOfAnotherWorkbookIsRefused() throws {
        // Given alpha passes and a beta pass
        let clock = TestClock()
        let store = try makeStore(clock: clock)
        _ = try answeredPasses(store, clock, count: 2)
        let beta = try store.passesStart(PassesStartParams(workbookId: "beta"), client: "x")
        let before = try ["passes", "answers", "changes"].map { try count(store, $0) }
        // When earlierBefore names no pass, or a pass of another workbook
        let unknown = "00000000-0000-4000-8000-000000000000"
        // Then the errors are those a bad passId gets
        XCTAssertEqual(error { () throws(WorkbookError) in try store.promptsGet(PromptsGetParams(promptId: "p1", earlierBefore: unknown)) },
                       .passNotFound(passId: unknown))
        XCTAssertEqual(error { () throws(WorkbookError) in try store.promptsGet(PromptsGetParams(promptId: "p1", earlierBefore: beta.id)) },
                       .invalidArgument(field: "earlierBefore", reason: "pass \(beta.id) belongs to workbook beta, not alpha"))
        XCTAssertEqual(try ["passes", "answers", "changes"].map { try count(store, $0) }, before)
    }

    func testPromptsNextHonoursEarlierLimit() throws {
        // Given 3 earlier passes answering p1 and a newest pass where p1 is open
        let clock = TestClock()
        let store = try makeStore(clock: clock)
        let (ids, newest) = try answeredPasses(store, clock, count: 3)
        // When asking for the next prompt with earlierLimit 2, then without
        let two = try XCTUnwrap(store.promptsNext(PromptsNextParams(earlierLimit: 2)))
        let all = try XCTUnwrap(store.promptsNext(PromptsNextParams(passId: newest.id)))
        let none = try XCTUnwrap(store.promptsNext(PromptsNextParams(earlierLimit: 0)))
        // Then the page is bounded and earlierMore tells the rest
        XCTAssertEqual(two.prompt.id, "p1")
        XCTAssertEqual(passIds(two), [ids[2], ids[1]])
        XCTAssertTrue(two.earlierMore)
        XCTAssertEqual(passIds(all), Array(ids.reversed()))
        XCTAssertFalse(all.earlierMore)
        XCTAssertEqual(none.earlierAnswers, [])
        XCTAssertTrue(none.earlierMore)
    }

    func testTheEarlierAnswersQueryWalksPassesByIndexWithoutASort() throws {
        // Given passes of two workbooks with answers, before and after ANALYZE gathers statistics
        let clock = TestClock()
        let store = try makeStore(clock: clock)
        let (ids, _) = try answeredPasses(store, clock, count: 40)
        for _ in 0..<5 {
            let beta = try store.passesStart(PassesStartParams(workbookId: "beta"), client: "x")
            _ = try store.answersSave(AnswersSaveParams(promptId: "b1", text: "beta", passId: beta.id), client: "x")
        }
        let arguments: StatementArguments = ["p1", "alpha", "9999-12-31T00:00:00.000Z", "9999-12-31T00:00:00.000Z", Int64.max, 11]
        for analyzed in [false, true] {
            if analyzed { try store.writer.write { db in try db.execute(sql: "ANALYZE") } }
            // When SQLite plans the query
            let plan = try store.writer.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + WorkbookStore.earlierAnswersSQL, arguments: arguments)
                    .map { $0["detail"] as String }
            }
            let text = plan.joined(separator: "\n")
            // Then passes is the outer loop, searched by passes_by_workbook in index order (no sort),
            // and answers is probed by its UNIQUE (passId, promptId) index
            XCTAssertFalse(text.contains("USE TEMP B-TREE"), "analyzed=\(analyzed):\n\(text)")
            XCTAssertEqual(plan.count, 2, "analyzed=\(analyzed):\n\(text)")
            XCTAssertTrue(plan.first?.hasPrefix("SEARCH p USING INDEX passes_by_workbook (workbookId=?") == true, text)
            XCTAssertTrue(plan.last?.hasPrefix("SEARCH a USING") == true, text)
            XCTAssertTrue(plan.last?.contains("INDEX sqlite_autoindex_answers_1 (passId=? AND promptId=?)") == true, text)
            // And the query itself returns the page the store serves
            let page = try store.promptsGet(PromptsGetParams(promptId: "p1"))
            XCTAssertEqual(passIds(page), Array(ids.suffix(10).reversed()))
            XCTAssertTrue(page.earlierMore)
        }
    }
}
