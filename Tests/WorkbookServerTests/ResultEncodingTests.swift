import JSONRPC
import Workbook
import XCTest
@testable import WorkbookServer

/// The hot methods' shortcuts give exactly what the general path gives: the hand-written encoders
/// the bytes of `JSONEncoder`, and `{}` the params the decoder makes of it.
final class ResultEncodingTests: XCTestCase {
    private func progress(title: String, passId: String?) -> WorkbookProgress {
        WorkbookProgress(workbookId: "solidarity", passId: passId, total: 22, answered: 3, drafts: 2, skipped: 1,
                         remaining: 18, percent: 13, words: 140,
                         sections: [SectionProgress(id: "s1", title: title, total: 4, answered: 1, drafts: 0, skipped: 1),
                                    SectionProgress(id: "s2", title: "Plain", total: 18, answered: 2, drafts: 2, skipped: 0)],
                         nextPromptId: passId == nil ? nil : "s1.p2", lastActivityAt: "2026-12-02T19:00:00.000Z")
    }

    func testTheHandWrittenEncoderWritesJSONEncodersBytes() throws {
        // Titles that need no escape, and every kind of escape and non-ASCII text
        let titles = ["Who do I stand with?", #"Quote " and \ backslash"#, "tab\tnew\nline\r\u{8}\u{C}",
                      "control \u{1}\u{1F} and DEL \u{7F}", "slash / and U+2028 \u{2028}", "Solidarität, 連帯, 🤝", ""]
        for title in titles {
            for passId in ["0b6f…", nil] {
                let value = progress(title: title, passId: passId)
                XCTAssertEqual(String(decoding: ResultJSON.encode(value), as: UTF8.self),
                               String(decoding: try JSONCoding.encode(value), as: UTF8.self), title)
            }
        }
    }

    func testTheHandWrittenSaveResultsAreJSONEncodersBytes() throws {
        let texts = ["", "plain words", "line\nbreak \"quoted\" \\ back\tslash\u{0}\u{1B}", "ünïcödé, 連帯, 🤝 \u{2028} / end"]
        let answers = texts.enumerated().map { n, text in
            Answer(promptId: "p\(n)", passId: "5e4d51bf-a8a6-4980-97ff-c8f85f5a3d9b", text: text,
                   status: [AnswerStatus.draft, .final, .skipped][n % 3], revision: n * 1000 + 1,
                   updatedAt: "2026-12-02T19:00:00.123Z", client: n == 2 ? #"nvim "0.9""# : "emacs")
        }
        for a in answers {
            let one = AnswersSaveResult(answer: a, revision: a.revision)
            XCTAssertEqual(String(decoding: ResultJSON.encode(one), as: UTF8.self),
                           String(decoding: try JSONCoding.encode(one), as: UTF8.self))
        }
        for many in [AnswersSaveManyResult(answers: answers), AnswersSaveManyResult(answers: [])] {
            XCTAssertEqual(String(decoding: ResultJSON.encode(many), as: UTF8.self),
                           String(decoding: try JSONCoding.encode(many), as: UTF8.self))
        }
    }

    func testTheHandWrittenPromptViewsAreJSONEncodersBytesForEveryPromptOfTheDefaultWorkbook() throws {
        // Given the default workbook with answers in four passes (texts that need escapes)
        let store = try WorkbookStore.inMemory()
        let workbookId = store.catalog.defaultWorkbookId
        let prompts = store.catalog.prompts(in: workbookId).map(\.prompt.id)
        let texts = ["plain", "line\nbreak \"quoted\" \\ tab\t\u{1}", "連帯 🤝 \u{2028} / end"]
        for pass in 0..<4 {
            if pass > 0 { _ = try store.passesStart(PassesStartParams(workbookId: workbookId), client: "t") }
            for (n, id) in prompts.enumerated() where (n + pass) % 2 == 0 {
                _ = try store.answersSave(AnswersSaveParams(promptId: id, text: texts[(n + pass) % 3],
                                                            status: n % 3 == 0 ? .final : nil), client: #"c "\#(pass)""#)
            }
        }
        // Then every prompt's view, with one or all of its earlier answers, encodes as JSONEncoder does
        for id in prompts {
            for limit in [1, 10] {
                let view = try store.promptsGet(PromptsGetParams(promptId: id, earlierLimit: limit))
                XCTAssertEqual(String(decoding: try ResultJSON.encode(view), as: UTF8.self),
                               String(decoding: try JSONCoding.encode(view), as: UTF8.self), id)
            }
        }
        XCTAssertTrue(prompts.contains { (try? store.promptsGet(PromptsGetParams(promptId: $0, earlierLimit: 1)))?.earlierMore == true })
        XCTAssertTrue(prompts.contains { (try? store.promptsGet(PromptsGetParams(promptId: $0)))?.leadPrompt != nil },
                      "the default workbook has sub-questions, so leadPrompt is covered")
    }

    func testACachedPromptPartIsNotUsedForAnotherPromptWithTheSameId() throws {
        // Given a view encoded once, then a view of a prompt with the same ids but another text
        let store = try WorkbookStore.inMemory()
        let id = store.catalog.prompts(in: store.catalog.defaultWorkbookId)[0].prompt.id
        var view = try store.promptsGet(PromptsGetParams(promptId: id))
        _ = try ResultJSON.encode(view)
        view.prompt.text += " (changed)"
        // Then the changed text is what is written
        XCTAssertEqual(String(decoding: try ResultJSON.encode(view), as: UTF8.self),
                       String(decoding: try JSONCoding.encode(view), as: UTF8.self))
    }

    func testEmptyParamsAreWhatTheDecoderMakesOfThem() throws {
        XCTAssertEqual(ProgressGetParams(), try JSONCoding.decode(ProgressGetParams.self, from: Array("{}".utf8)))
        // Through the witness the dispatcher uses (a generic call), not only the static one
        func empty<M: RPCMethod>(_: M.Type) -> M.Params? { M.emptyParams }
        XCTAssertEqual(empty(ProgressGet.self), ProgressGetParams())
        XCTAssertNil(empty(AnswersSave.self))
        XCTAssertEqual(empty(ServerPing.self), NoParams())
    }
}
