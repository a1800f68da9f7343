import Foundation
import XCTest
@testable import Workbook

final class StoreSearchTests: XCTestCase {
    func testWordsSearchFindsAnswersAndPromptsWithEscapedSnippets() throws {
        // Given answers holding markup and punctuation
        let store = try makeStore()
        _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "I use <b>bold</b> & co-opting words"), client: "x")
        _ = try store.answersSave(AnswersSaveParams(promptId: "p2", text: "Nothing here about look/feel"), client: "x")
        // When searching words with punctuation
        let hits = try store.search(SearchParams(query: "co-opting")).hits
        // Then the answer and the prompt text both match, escaped with <mark> around the hit
        XCTAssertEqual(hits.count, 2)
        let answer = try XCTUnwrap(hits.first { $0.kind == .answer })
        XCTAssertEqual(answer.snippet, "I use &lt;b&gt;bold&lt;/b&gt; &amp; <mark>co-opting</mark> words")
        XCTAssertEqual([answer.promptId, answer.workbookId], ["p1", "alpha"])
        XCTAssertEqual(answer.revision, 1)
        XCTAssertEqual(answer.status, .draft)
        let prompt = try XCTUnwrap(hits.first { $0.kind == .prompt })
        XCTAssertEqual(prompt.snippet, "What does <mark>co-opting</mark> look like?")
        XCTAssertNil(prompt.passId)
        XCTAssertEqual(hits.map(\.rank), [1, 2])
        XCTAssertEqual(try store.search(SearchParams(query: "look/feel")).hits.map(\.promptId), ["p2"])
        // And a quote inside a word is literal, not syntax
        XCTAssertEqual(try store.search(SearchParams(query: "bold\" OR")).hits, [])
    }

    func testFTS5SyntaxPassesThroughAndErrorsAreInvalidArguments() throws {
        // Given two answers
        let store = try makeStore()
        _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "apples and pears"), client: "x")
        _ = try store.answersSave(AnswersSaveParams(promptId: "b1", text: "apples only"), client: "x")
        // Then FTS5 operators work, filters apply, and broken syntax is reported on `query`
        XCTAssertEqual(try store.search(SearchParams(query: "apples NOT pears", syntax: .fts5)).hits.map(\.promptId), ["b1"])
        XCTAssertEqual(try store.search(SearchParams(query: "apples", workbookId: "alpha")).hits.map(\.promptId), ["p1"])
        XCTAssertEqual(try store.search(SearchParams(query: "app*", limit: 1, syntax: .fts5)).hits.count, 1)
        guard case .invalidArgument(let field, let reason)? = error({ () throws(WorkbookError) in
            try store.search(SearchParams(query: "apples AND (", syntax: .fts5))
        }) else { return XCTFail("expected invalidArgument") }
        XCTAssertEqual(field, "query")
        XCTAssertTrue(reason.hasPrefix("invalid FTS5 query: fts5: syntax error"), reason)
        XCTAssertEqual(error { () throws(WorkbookError) in try store.search(SearchParams(query: "  ")) },
                       .invalidArgument(field: "query", reason: "must not be empty"))
    }

    func testSearchFollowsSavesAndDeletes() throws {
        // Given an answer that is rewritten, then deleted
        let store = try makeStore()
        _ = try store.answersSave(AnswersSaveParams(promptId: "p4", text: "zebra"), client: "x")
        _ = try store.answersSave(AnswersSaveParams(promptId: "p4", text: "giraffe"), client: "x")
        // Then only the current text is found
        XCTAssertEqual(try store.search(SearchParams(query: "zebra")).hits, [])
        XCTAssertEqual(try store.search(SearchParams(query: "giraffe")).hits.count, 1)
        // And after delete nothing is found
        XCTAssertEqual(try store.answersDelete(AnswersDeleteParams(promptId: "p4")), DeleteResult(deleted: 2))
        XCTAssertEqual(try store.search(SearchParams(query: "giraffe")).hits, [])
    }
}
