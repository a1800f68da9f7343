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

    func testAnswersAreRankedAmongTheNewestMatchesOnly() throws {
        // Given the most relevant answer written first, then three weaker matches
        let store = try makeStore()
        _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "kiwi kiwi kiwi"), client: "x")
        for (prompt, words) in [("p2", "kiwi and a long tail of other words here"), ("p3", "kiwi with more words"),
                                ("p4", "kiwi and plenty of other words")] {
            _ = try store.answersSave(AnswersSaveParams(promptId: prompt, text: words), client: "x")
        }
        func answers(_ params: SearchParams, window: Int) throws -> [String] {
            try store.search(params, rankedAnswers: window).hits.filter { $0.kind == .answer }.map(\.promptId)
        }
        // Then with a window wider than the matches every match is ranked by bm25, best first
        XCTAssertEqual(try answers(SearchParams(query: "kiwi"), window: 4), ["p1", "p3", "p4", "p2"])
        XCTAssertEqual(try answers(SearchParams(query: "kiwi"), window: WorkbookStore.rankedAnswers).first, "p1")
        // And with a narrower window only the newest matches are ranked
        XCTAssertEqual(try answers(SearchParams(query: "kiwi"), window: 2), ["p3", "p4"])
        XCTAssertEqual(try answers(SearchParams(query: "kiwi", limit: 1), window: 3), ["p3"])
    }

    func testTheRankingWindowCountsOnlyAnswersThatPassTheFilters() throws {
        // Given an older match in the first pass, newer ones in a second pass and in another workbook
        let store = try makeStore()
        _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "plum first pass"), client: "x")
        let first = try store.passesList(PassesListParams(workbookId: "alpha")).last!.id
        let second = try store.passesStart(PassesStartParams(workbookId: "alpha"), client: "x")
        for prompt in ["p2", "p3"] {
            _ = try store.answersSave(AnswersSaveParams(promptId: prompt, text: "plum second pass", passId: second.id), client: "x")
        }
        _ = try store.answersSave(AnswersSaveParams(promptId: "b1", text: "plum in beta"), client: "x")
        func answers(_ params: SearchParams) throws -> [String] {
            try store.search(params, rankedAnswers: 1).hits.filter { $0.kind == .answer }.map(\.promptId)
        }
        // Then a window of one still finds the match of each filter
        XCTAssertEqual(try answers(SearchParams(query: "plum")), ["b1"])
        XCTAssertEqual(try answers(SearchParams(query: "plum", workbookId: "alpha")), ["p3"])
        XCTAssertEqual(try answers(SearchParams(query: "plum", passId: first)), ["p1"])
        XCTAssertEqual(try answers(SearchParams(query: "plum", passId: second.id)), ["p3"])
        // And a pass without answers has no answer hits
        let empty = try store.passesStart(PassesStartParams(workbookId: "alpha"), client: "x")
        XCTAssertEqual(try answers(SearchParams(query: "plum", passId: empty.id)), [])
    }

    func testSnippetsAreEscapedAndMarkedInOnePass() {
        let (start, end) = (WorkbookStore.markStart, WorkbookStore.markEnd)
        XCTAssertEqual(WorkbookStore.html("a<b>&\"'\(start)käse\(end) 🍐\(start)x\(end)"),
                       "a&lt;b&gt;&amp;&quot;&#39;<mark>käse</mark> 🍐<mark>x</mark>")
        // A lone private-use character (half a sentinel) is kept as it is
        XCTAssertEqual(WorkbookStore.html("\u{E000}&\u{E001}"), "\u{E000}&amp;\u{E001}")
        XCTAssertEqual(WorkbookStore.html(""), "")
    }
}
