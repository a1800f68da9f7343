import Foundation
import GRDB
import XCTest
@testable import Workbook

final class StoreAnswersTests: XCTestCase {
    func testSaveCreatesRevisionsAndIdempotentSaveDoesNot() throws {
        // Given an empty store
        let clock = TestClock()
        let store = try makeStore(clock: clock)
        // When saving twice with different text, then repeating the last save
        let first = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "one"), client: "cli")
        clock.advance()
        let second = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "one two", status: .final), client: "nvim")
        let t2 = clock.stamp
        clock.advance()
        let again = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "one two", status: .final), client: "web")
        // Then revisions are 1, 2 and the retry returns revision 2 unchanged
        XCTAssertEqual(first.revision, 1)
        XCTAssertEqual(second.answer, Answer(promptId: "p1", passId: first.answer.passId, text: "one two",
                                             status: .final, revision: 2, updatedAt: t2, client: "nvim"))
        XCTAssertEqual(again, second)
        XCTAssertEqual(try count(store, "revisions"), 2)
        XCTAssertEqual(try store.answersGet(AnswersGetParams(promptId: "p1")), second.answer)
        // And the history is oldest first
        let history = try store.answersHistory(AnswersHistoryParams(promptId: "p1"))
        XCTAssertEqual(history.map(\.revision), [1, 2])
        XCTAssertEqual(history.map(\.text), ["one", "one two"])
        XCTAssertEqual(history.map(\.client), ["cli", "nvim"])
        XCTAssertEqual(history.map(\.packVersion), ["1.0.0", "1.0.0"])
    }

    func testOmittedStatusKeepsFinalAndDefaultsToDraft() throws {
        // Given a final answer
        let store = try makeStore()
        _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "a", status: .final), client: "x")
        // When saving new text without status, and saving another prompt without status
        let kept = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "b"), client: "x")
        let fresh = try store.answersSave(AnswersSaveParams(promptId: "p2", text: "c"), client: "x")
        // Then the final status is kept, the new answer is a draft
        XCTAssertEqual(kept.answer.status, .final)
        XCTAssertEqual(fresh.answer.status, .draft)
    }

    func testTextIsStoredByteForByte() throws {
        // Given texts that differ only in Unicode normalization, plus emoji, RTL and newlines
        let store = try makeStore()
        let nfc = "caf\u{E9}\r\n👩🏽‍🚀 שלום\n\ttabs"
        let nfd = "cafe\u{301}\r\n👩🏽‍🚀 שלום\n\ttabs"
        // When saving one then the other
        _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: nfc), client: "x")
        let second = try store.answersSave(AnswersSaveParams(promptId: "p1", text: nfd), client: "x")
        // Then the second is a new revision and comes back with the exact bytes
        XCTAssertEqual(second.revision, 2)
        let stored = try XCTUnwrap(store.answersGet(AnswersGetParams(promptId: "p1")))
        XCTAssertEqual(Array(stored.text.utf8), Array(nfd.utf8))
    }

    func testExpectedRevisionConflictStoresNothing() throws {
        // Given an answer at revision 1
        let store = try makeStore()
        let saved = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "mine"), client: "x")
        let before = try [count(store, "revisions"), count(store, "answers"), count(store, "changes")]
        // When saving with a stale expectedRevision (0 = "expect none")
        let err = error { () throws(WorkbookError) in
            try store.answersSave(AnswersSaveParams(promptId: "p1", text: "theirs", expectedRevision: 0), client: "x")
        }
        // Then the conflict carries the current answer and nothing is stored
        XCTAssertEqual(err, .revisionConflict(promptId: "p1", passId: saved.answer.passId, currentRevision: 1,
                                              current: saved.answer))
        XCTAssertEqual(try [count(store, "revisions"), count(store, "answers"), count(store, "changes")], before)
        // And the matching expectedRevision succeeds
        XCTAssertEqual(try store.answersSave(AnswersSaveParams(promptId: "p1", text: "theirs", expectedRevision: 1),
                                             client: "x").revision, 2)
    }

    func testInvalidTextAndIdsAreRejected() throws {
        // Given a store limited to 10-byte answers
        let store = try makeStore(maxAnswerBytes: 10)
        // Then U+0000, 11 bytes, section/context/unknown ids and a skipped status are refused
        XCTAssertEqual(error { () throws(WorkbookError) in try store.answersSave(AnswersSaveParams(promptId: "p1", text: "a\u{0}b"), client: "x") },
                       .invalidArgument(field: "text", reason: "must not contain U+0000"))
        XCTAssertEqual(error { () throws(WorkbookError) in try store.answersSave(AnswersSaveParams(promptId: "p1", text: "ééééé1"), client: "x") },
                       .answerTooLarge(promptId: "p1", bytes: 11, limit: 10))
        for id in ["s1", "c1", "nope"] {
            XCTAssertEqual(error { () throws(WorkbookError) in try store.answersSave(AnswersSaveParams(promptId: id, text: "a"), client: "x") },
                           .promptNotFound(promptId: id))
        }
        XCTAssertEqual(error { () throws(WorkbookError) in try store.answersSave(AnswersSaveParams(promptId: "p1", text: "a", status: .skipped), client: "x") },
                       .invalidArgument(field: "status", reason: "must be draft or final (use answers.skip)"))
        // And exactly 10 bytes is fine; nothing else was stored
        XCTAssertEqual(try store.answersSave(AnswersSaveParams(promptId: "p1", text: "ééééé"), client: "x").revision, 1)
        XCTAssertEqual(try count(store, "revisions"), 1)
        XCTAssertEqual(try count(store, "passes"), 1)
    }

    func testSkipKeepsTextAndRestoreCopiesAnOlderRevision() throws {
        // Given two saves
        let store = try makeStore()
        _ = try store.answersSave(AnswersSaveParams(promptId: "p3", text: "first"), client: "x")
        _ = try store.answersSave(AnswersSaveParams(promptId: "p3", text: "second", status: .final), client: "x")
        // When skipping (twice) and restoring revision 1
        let skipped = try store.answersSkip(AnswersSkipParams(promptId: "p3", reason: "later"), client: "x")
        let again = try store.answersSkip(AnswersSkipParams(promptId: "p3"), client: "x")
        let restored = try store.answersRestore(AnswersRestoreParams(promptId: "p3", revision: 1, expectedRevision: 3), client: "x")
        // Then skip keeps the text, a second skip changes nothing, restore appends revision 4
        XCTAssertEqual([skipped.answer.text, skipped.answer.status.rawValue, String(skipped.revision)], ["second", "skipped", "3"])
        XCTAssertEqual(again, skipped)
        XCTAssertEqual([restored.answer.text, restored.answer.status.rawValue, String(restored.revision)], ["first", "draft", "4"])
        let history = try store.answersHistory(AnswersHistoryParams(promptId: "p3"))
        XCTAssertEqual(history.map(\.reason), [nil, nil, "later", "restored from revision 1"])
        // And an unknown revision is an invalid argument
        XCTAssertEqual(error { () throws(WorkbookError) in try store.answersRestore(AnswersRestoreParams(promptId: "p3", revision: 9), client: "x") },
                       .invalidArgument(field: "revision", reason: "no revision 9 of p3 in pass \(restored.answer.passId)"))
    }

    func testSaveManyIsAllOrNothingWithTheFailingIndex() throws {
        // Given an empty store
        let store = try makeStore()
        // When the third item is invalid
        let err = error { () throws(WorkbookError) in
            try store.answersSaveMany(AnswersSaveManyParams(items: [
                AnswersSaveParams(promptId: "p1", text: "a"), AnswersSaveParams(promptId: "p1", text: "b"),
                AnswersSaveParams(promptId: "c1", text: "c"),
            ]), client: "x")
        }
        // Then the error names index 2 and nothing (not even the implicit pass) was stored
        XCTAssertEqual(err, .itemFailed(index: 2, error: .promptNotFound(promptId: "c1")))
        XCTAssertEqual(try [count(store, "passes"), count(store, "revisions"), count(store, "changes")], [0, 0, 0])
        // When all items are valid, they apply in order
        let result = try store.answersSaveMany(AnswersSaveManyParams(items: [
            AnswersSaveParams(promptId: "p1", text: "a"), AnswersSaveParams(promptId: "p1", text: "b"),
            AnswersSaveParams(promptId: "b1", text: "c"),
        ]), client: "x")
        XCTAssertEqual(result.answers.map(\.revision), [1, 2, 1])
        XCTAssertEqual(try count(store, "passes"), 2)
    }

    func testAnswersListFollowsReadingOrderAndFiltersStatus() throws {
        // Given answers saved out of order
        let store = try makeStore()
        for (id, status) in [("p4", AnswerStatus.final), ("p1", .draft), ("p3", .final)] {
            _ = try store.answersSave(AnswersSaveParams(promptId: id, text: id, status: status), client: "x")
        }
        // Then the list is in reading order, and the filter keeps finals
        XCTAssertEqual(try store.answersList(AnswersListParams()).map(\.promptId), ["p1", "p3", "p4"])
        XCTAssertEqual(try store.answersList(AnswersListParams(status: .final)).map(\.promptId), ["p3", "p4"])
        XCTAssertEqual(try store.answersList(AnswersListParams(workbookId: "beta")), [])
    }
}
