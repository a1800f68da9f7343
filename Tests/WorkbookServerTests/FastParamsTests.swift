import Foundation
import JSONRPC
import TestSupport
import Workbook
import WorkbookServer
import XCTest

/// The hand-written readers of `answers.save` / `answers.saveMany` params may only be faster than
/// `JSONDecoder`: whatever they take, the decoder must decode to the same value; whatever the
/// decoder refuses, they must leave to it (so the error stays the decoder's).
final class FastParamsTests: XCTestCase {
    private static let strings = [
        #""p1""#, #""""#, #""plain words""#, #""line\nbreak \"quoted\" back\\slash \/ tab\t""#,
        #""caf\u00e9 \u4e2d""#, "\"café 中文 😀\"", #""pair \ud83d\ude00""#, #""lone \ud800 end""#,
        #""nul \u0000 inside""#, #""draft""#, #""final""#, #""skipped""#, #""Draft""#,
    ]
    private static let others = ["0", "7", "-1", "1.0", "1e2", "1.5", "9223372036854775807", "9223372036854775808",
                                 "-9223372036854775808", "-0", "null", "true", "[]", "{}", #"{"a":1}"#, #"["x"]"#]
    private static let keys = ["promptId", "text", "status", "expectedRevision", "passId"]

    /// A random params object: mostly the real keys with plausible values, sometimes not.
    private func object(_ rng: inout SeededRandom) -> String {
        var members: [String] = []
        for key in Self.keys.shuffled(using: &rng) where Int.random(in: 0..<10, using: &rng) < 8 || key == "promptId" {
            let value: String
            switch (key, Int.random(in: 0..<10, using: &rng)) {
            case (_, 0): value = Self.others.randomElement(using: &rng)!
            case ("status", _): value = [#""draft""#, #""final""#, #""skipped""#, "null", #""Draft""#].randomElement(using: &rng)!
            case ("expectedRevision", _): value = ["0", "3", "null", "-2", "2.0", "12345678901234567890"].randomElement(using: &rng)!
            default: value = Self.strings.randomElement(using: &rng)!
            }
            members.append("\"\(key)\":\(value)")
        }
        switch Int.random(in: 0..<20, using: &rng) {
        case 0: members.append(#""expectedRevison":1"#)
        case 1: if let first = members.first { members.append(first) }  // a repeated key
        default: break
        }
        return "{" + members.shuffled(using: &rng).joined(separator: Bool.random(using: &rng) ? "," : " , ") + "}"
    }

    private func check<P: FastDecodableParams & Equatable>(_: P.Type, _ json: String, taken: inout Int, file: StaticString = #filePath, line: UInt = #line) {
        let bytes = Array(json.utf8)
        // The dispatcher hands over params only after the scanner validated the whole message.
        guard (try? bytes.withUnsafeBytes { try JSONScanner.scan($0, maxDepth: 64) }) != nil else { return XCTFail("invalid test JSON \(json)") }
        let fast = bytes.withUnsafeBytes { P.fastDecode(JSONFields($0)) }
        let decoded = Result { try JSONDecoder().decode(P.self, from: Data(bytes)) }
        guard let fast else { return }
        taken += 1
        switch decoded {
        case let .success(value): XCTAssertEqual(fast, value, json, file: file, line: line)
        case let .failure(error): XCTFail("taken by hand but refused by the decoder (\(error)): \(json)", file: file, line: line)
        }
    }

    func testSaveParamsReadByHandEqualTheDecoders() {
        var rng = SeededRandom(seed: 9)
        var taken = 0
        for _ in 0..<4000 { check(AnswersSaveParams.self, object(&rng), taken: &taken) }
        // The common shapes are taken (else this test could pass with a reader that takes nothing).
        XCTAssertGreaterThan(taken, 400)
    }

    func testSaveManyParamsReadByHandEqualTheDecoders() {
        var rng = SeededRandom(seed: 10)
        var taken = 0
        for _ in 0..<1500 {
            let items = (0..<Int.random(in: 0..<4, using: &rng)).map { _ in object(&rng) }
            check(AnswersSaveManyParams.self, #"{"items":[\#(items.joined(separator: ","))]}"#, taken: &taken)
        }
        XCTAssertGreaterThan(taken, 150)
    }

    func testWhatTheBenchmarkAndTheClientsSendIsTakenByHand() {
        let save = #"{"promptId":"who-do-i-stand-with","text":"Line one\nline \"two\" café 😀","status":"final","expectedRevision":3,"passId":"a1"}"#
        XCTAssertEqual(Array(save.utf8).withUnsafeBytes { AnswersSaveParams.fastDecode(JSONFields($0)) },
                       AnswersSaveParams(promptId: "who-do-i-stand-with", text: "Line one\nline \"two\" café 😀", status: .final,
                                         expectedRevision: 3, passId: "a1"))
        let many = #"{"items":[{"promptId":"a","text":"x"},{"text":"y","promptId":"b","status":null}]}"#
        XCTAssertEqual(Array(many.utf8).withUnsafeBytes { AnswersSaveManyParams.fastDecode(JSONFields($0)) }?.items.map(\.promptId), ["a", "b"])
    }
}
