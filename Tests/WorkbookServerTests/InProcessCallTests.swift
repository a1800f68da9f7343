import Logging
import Workbook
import XCTest
@testable import WorkbookServer

/// The full catalogue through the same dispatcher the transports use, on an in-memory store.
final class InProcessCallTests: XCTestCase {
    private func caller() throws -> LocalCaller {
        let app = try WorkbookApp(configuration: ServerConfiguration(databasePath: ":memory:", packsDirectory: nil),
                                  logger: Logger(label: "test"))
        return LocalCaller(app: app, clientName: "tests")
    }

    private func result(_ caller: LocalCaller, _ method: String, _ params: String? = nil) throws -> Any {
        switch try caller.call(method, params: params) {
        case let .success(json): return try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        case let .failure(error): XCTFail("\(method): \(error.json)"); return NSNull()
        }
    }

    private func errorCode(_ caller: LocalCaller, _ method: String, _ params: String?) throws -> Int? {
        if case let .failure(error) = try caller.call(method, params: params) { return error.code }
        return nil
    }

    func testSaveThenProgressAndTheClientNameIsRecorded() throws {
        let c = try caller()
        // Given a final answer and a draft
        _ = try result(c, "answers.save", #"{"promptId":"who-do-i-stand-with","text":"one two three","status":"final"}"#)
        _ = try result(c, "answers.save", #"{"promptId":"who-do-i-stand-with.relationships","text":"four"}"#)
        // When progress is asked for
        let p = try XCTUnwrap(try result(c, "progress.get") as? [String: Any])
        // Then the numbers are exact
        XCTAssertEqual(p["total"] as? Int, 22)
        XCTAssertEqual(p["answered"] as? Int, 1)
        XCTAssertEqual(p["drafts"] as? Int, 1)
        XCTAssertEqual(p["remaining"] as? Int, 21)
        XCTAssertEqual(p["percent"] as? Int, 4)
        XCTAssertEqual(p["words"] as? Int, 4)
        let answer = try XCTUnwrap(try result(c, "answers.get", #"{"promptId":"who-do-i-stand-with"}"#) as? [String: Any])
        XCTAssertEqual(answer["client"] as? String, "tests")
    }

    func testDomainErrorsArriveWithTheirCodes() throws {
        let c = try caller()
        XCTAssertEqual(try errorCode(c, "answers.save", #"{"promptId":"nope","text":"x"}"#), 1002)
        XCTAssertEqual(try errorCode(c, "workbooks.get", #"{"workbookId":"nope"}"#), 1001)
        XCTAssertEqual(try errorCode(c, "passes.get", #"{"passId":"00000000-0000-4000-8000-000000000000"}"#), 1003)
        XCTAssertEqual(try errorCode(c, "answers.save", #"{"promptId":"who-do-i-stand-with","text":"x","expectedRevision":3}"#), 1004)
        XCTAssertEqual(try errorCode(c, "search", #"{"query":"\"unbalanced","syntax":"fts5"}"#), -32602)
        XCTAssertEqual(try errorCode(c, "answers.save", #"{"promptId":"who-do-i-stand-with","text":1}"#), -32602)
        XCTAssertEqual(try errorCode(c, "subscribe", nil), -32600, "subscribe needs a connection")
    }

    func testEveryCatalogueMethodIsRoutable() throws {
        let c = try caller()
        for entry in MethodCatalogue.all {
            // Unknown-key params reach the method (never -32601) and are refused by name (or accepted by initialize).
            let code = try errorCode(c, entry.name, #"{"surely_unknown_key":1}"#)
            if entry.keys == nil { XCTAssertNil(code, entry.name) } else { XCTAssertEqual(code, -32602, entry.name) }
        }
    }
}

extension InProcessCallTests {
    func testAnUnknownKeyInsideASaveManyItemIsRefusedByNameAndNothingIsStored() throws {
        let c = try caller()
        let reply = try c.call("answers.saveMany", params: #"{"items":[{"promptId":"solidarity-means","text":"a"},{"promptId":"solidarity-means","text":"b","expectedRevison":1}]}"#)
        guard case let .failure(error) = reply else { return XCTFail("accepted a misspelt key") }
        XCTAssertEqual(error.code, -32602)
        XCTAssertTrue(error.json.contains(#""field":"items[1].expectedRevison""#), error.json)
        XCTAssertTrue(try result(c, "answers.get", #"{"promptId":"solidarity-means"}"#) is NSNull)
    }
}

extension InProcessCallTests {
    func testPromptsGetServesAPageOfEarlierAnswersWithEarlierMore() throws {
        let c = try caller()
        let prompt = "who-do-i-stand-with"
        // Given three passes answering the prompt, then a fourth
        var passes: [String] = []
        for n in 0..<3 {
            let pass = try XCTUnwrap(try result(c, "passes.start", #"{"workbookId":"solidarity"}"#) as? [String: Any])
            let id = try XCTUnwrap(pass["id"] as? String)
            _ = try result(c, "answers.save", #"{"promptId":"\#(prompt)","text":"answer \#(n)","passId":"\#(id)"}"#)
            passes.append(id)
        }
        _ = try result(c, "passes.start", #"{"workbookId":"solidarity"}"#)
        // When reading two at a time, then paging on
        let first = try XCTUnwrap(try result(c, "prompts.get", #"{"promptId":"\#(prompt)","earlierLimit":2}"#) as? [String: Any])
        let rest = try XCTUnwrap(try result(c, "prompts.get", #"{"promptId":"\#(prompt)","earlierLimit":2,"earlierBefore":"\#(passes[1])"}"#) as? [String: Any])
        // Then each page is newest first and earlierMore is always on the wire
        XCTAssertEqual((first["earlierAnswers"] as? [[String: Any]])?.compactMap { $0["text"] as? String }, ["answer 2", "answer 1"])
        XCTAssertEqual(first["earlierMore"] as? Bool, true)
        XCTAssertEqual((rest["earlierAnswers"] as? [[String: Any]])?.compactMap { $0["passId"] as? String }, [passes[0]])
        XCTAssertEqual(rest["earlierMore"] as? Bool, false)
        // And a bad earlierLimit or earlierBefore gets the usual errors, by name
        for (params, code, field) in [(#""earlierLimit":101"#, -32602, "earlierLimit"), (#""earlierLimit":-1"#, -32602, "earlierLimit"),
                                      (#""earlierBefore":"00000000-0000-4000-8000-000000000000""#, 1003, nil)] {
            let reply = try c.call("prompts.get", params: #"{"promptId":"\#(prompt)",\#(params)}"#)
            guard case let .failure(error) = reply else { XCTFail("accepted \(params)"); continue }
            XCTAssertEqual(error.code, code, params)
            if let field { XCTAssertTrue(error.json.contains(#""field":"\#(field)""#), error.json) }
        }
        XCTAssertEqual(try errorCode(c, "prompts.next", #"{"earlierLimit":101}"#), -32602)
    }
}
