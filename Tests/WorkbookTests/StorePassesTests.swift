import Foundation
import XCTest
@testable import Workbook

final class StorePassesTests: XCTestCase {
    func testWriteCreatesAPassImplicitlyAndLogsIt() throws {
        // Given an empty store
        let clock = TestClock()
        let store = try makeStore(clock: clock)
        let t0 = clock.stamp
        // When saving without a passId
        let saved = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "hi"), client: "cli")
        // Then one pass was started, and the log holds pass.started then answer.saved
        let passes = try store.passesList(PassesListParams())
        XCTAssertEqual(passes, [Pass(id: saved.answer.passId, workbookId: "alpha", title: nil, startedAt: t0, closedAt: nil)])
        let page = try store.changesList(ChangesListParams())
        XCTAssertEqual(page.changes, [
            Change(cursor: 1, type: .passStarted, workbookId: "alpha", passId: saved.answer.passId, promptId: nil,
                   revision: nil, status: nil, at: t0, client: "cli"),
            Change(cursor: 2, type: .answerSaved, workbookId: "alpha", passId: saved.answer.passId, promptId: "p1",
                   revision: 1, status: .draft, at: t0, client: "cli"),
        ])
        XCTAssertEqual(page.cursor, 2)
        XCTAssertEqual(try store.headCursor(), 2)
        // And a second save reuses the open pass
        _ = try store.answersSave(AnswersSaveParams(promptId: "p2", text: "x"), client: "cli")
        XCTAssertEqual(try count(store, "passes"), 1)
    }

    func testReadsNeverCreateAPass() throws {
        // Given an empty store
        let store = try makeStore()
        // When every read runs
        XCTAssertNil(try store.answersGet(AnswersGetParams(promptId: "p1")))
        XCTAssertEqual(try store.answersHistory(AnswersHistoryParams(promptId: "p1")), [])
        XCTAssertEqual(try store.answersList(AnswersListParams()), [])
        let progress = try store.progressGet(ProgressGetParams())
        let view = try XCTUnwrap(store.promptsNext(PromptsNextParams()))
        XCTAssertEqual(try store.progressList(), [])
        // Then no pass exists, and the results are null/zero
        XCTAssertEqual(try count(store, "passes"), 0)
        XCTAssertNil(progress.passId)
        XCTAssertEqual([progress.total, progress.answered, progress.remaining, progress.percent], [4, 0, 4, 0])
        XCTAssertEqual(view.prompt.id, "p1")
        XCTAssertNil(view.passId)
        XCTAssertEqual(try count(store, "changes"), 0)
    }

    func testClosedPassRefusesWritesAndCloseIsIdempotent() throws {
        // Given a started pass with an answer, then closed twice
        let clock = TestClock()
        let store = try makeStore(clock: clock)
        let pass = try store.passesStart(PassesStartParams(workbookId: "alpha", title: "Winter"), client: "x")
        _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "a", passId: pass.id), client: "x")
        clock.advance()
        let closed = try store.passesClose(PassesCloseParams(passId: pass.id), client: "x")
        clock.advance()
        let again = try store.passesClose(PassesCloseParams(passId: pass.id), client: "x")
        // Then the close time stays the first one and only one pass.closed is logged
        XCTAssertEqual(again, closed)
        XCTAssertEqual(try store.changesList(ChangesListParams()).changes.filter { $0.type == .passClosed }.count, 1)
        // And saving to it by name fails, while saving without passId opens a new pass
        XCTAssertEqual(error { () throws(WorkbookError) in
            try store.answersSave(AnswersSaveParams(promptId: "p1", text: "b", passId: pass.id), client: "x")
        }, .passClosed(passId: pass.id))
        let fresh = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "b"), client: "x")
        XCTAssertNotEqual(fresh.answer.passId, pass.id)
        XCTAssertEqual(fresh.revision, 1)
        // And reads of the closed pass still work by name
        XCTAssertEqual(try store.answersGet(AnswersGetParams(promptId: "p1", passId: pass.id))?.text, "a")
    }

    func testUnknownAndForeignPasses() throws {
        // Given a pass of workbook beta
        let store = try makeStore()
        let beta = try store.passesStart(PassesStartParams(workbookId: "beta"), client: "x")
        // Then an unknown pass is passNotFound and a beta pass for an alpha prompt is an invalid argument
        XCTAssertEqual(error { () throws(WorkbookError) in try store.passesGet(PassesGetParams(passId: "nope")) },
                       .passNotFound(passId: "nope"))
        XCTAssertEqual(error { () throws(WorkbookError) in
            try store.answersSave(AnswersSaveParams(promptId: "p1", text: "a", passId: beta.id), client: "x")
        }, .invalidArgument(field: "passId", reason: "pass \(beta.id) belongs to workbook beta, not alpha"))
        XCTAssertEqual(error { () throws(WorkbookError) in try store.passesStart(PassesStartParams(workbookId: "zeta"), client: "x") },
                       .workbookNotFound(workbookId: "zeta"))
        XCTAssertEqual(try store.passesList(PassesListParams(workbookId: "alpha")), [])
        XCTAssertEqual(try store.passesGet(PassesGetParams(passId: beta.id)), beta)
    }

    func testChangesPaging() throws {
        // Given five changes
        let store = try makeStore()
        for text in ["a", "b", "c", "d"] { _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: text), client: "x") }
        // When paging by two
        let first = try store.changesList(ChangesListParams(limit: 2))
        let second = try store.changesList(ChangesListParams(since: first.cursor, limit: 2))
        let last = try store.changesList(ChangesListParams(since: 5, limit: 2))
        // Then cursors continue and an empty page echoes `since`
        XCTAssertEqual(first.changes.map(\.cursor), [1, 2])
        XCTAssertEqual(second.changes.map(\.cursor), [3, 4])
        XCTAssertEqual(last, ChangesPage(changes: [], cursor: 5))
        XCTAssertEqual(error { () throws(WorkbookError) in try store.changesList(ChangesListParams(limit: 0)) },
                       .invalidArgument(field: "limit", reason: "must be >= 1"))
    }

    func testWireShapesUseExplicitNullsWhereTheProtocolDoes() throws {
        // Given an empty store
        let store = try makeStore()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // When encoding progress with no pass and an erase change
        let progress = try String(decoding: encoder.encode(store.progressGet(ProgressGetParams(workbookId: "beta"))), as: UTF8.self)
        let change = Change(cursor: 7, type: .dataErased, workbookId: "alpha", passId: nil, promptId: nil, revision: nil,
                            status: nil, at: "2026-11-25T12:00:00.123Z", client: "x")
        // Then null keys are present
        XCTAssertEqual(progress, #"{"answered":0,"drafts":0,"lastActivityAt":null,"nextPromptId":"b1","passId":null,"percent":0,"remaining":1,"sections":[{"answered":0,"drafts":0,"id":"beta","skipped":0,"title":"Beta","total":1}],"skipped":0,"total":1,"words":0,"workbookId":"beta"}"#)
        XCTAssertEqual(String(decoding: try encoder.encode(change), as: UTF8.self),
                       #"{"at":"2026-11-25T12:00:00.123Z","client":"x","cursor":7,"passId":null,"type":"data.erased","workbookId":"alpha"}"#)
        XCTAssertEqual(AnswersSaveParams.keys, ["promptId", "text", "status", "expectedRevision", "passId"])
        XCTAssertEqual(Timestamp.string(Date(timeIntervalSince1970: 1_795_608_000.1235)), "2026-11-25T12:00:00.123Z")
    }
}
