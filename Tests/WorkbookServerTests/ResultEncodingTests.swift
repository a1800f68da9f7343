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

    func testEmptyParamsAreWhatTheDecoderMakesOfThem() throws {
        XCTAssertEqual(ProgressGetParams(), try JSONCoding.decode(ProgressGetParams.self, from: Array("{}".utf8)))
        // Through the witness the dispatcher uses (a generic call), not only the static one
        func empty<M: RPCMethod>(_: M.Type) -> M.Params? { M.emptyParams }
        XCTAssertEqual(empty(ProgressGet.self), ProgressGetParams())
        XCTAssertNil(empty(AnswersSave.self))
        XCTAssertEqual(empty(ServerPing.self), NoParams())
    }
}
