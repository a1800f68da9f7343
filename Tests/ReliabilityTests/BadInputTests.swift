import Foundation
import TestSupport
import WorkbookServer
import XCTest

/// Issue #6, area 3: the bad-input table through the real binary over the socket. Every case asserts
/// the exact error code and that the database is unchanged (every row of every table compared).
final class BadInputTests: XCTestCase {
    private let prompt = "what-is-solidarity.better-future"
    private let other = "solidarity-means"
    private let unknownPass = "6a2f41a3-c54c-4f34-8e10-2c5c3e6b7f11"

    /// A running server with answers in it, the open pass id and a closed pass id.
    private func seeded() throws -> (SocketServer, Conversation, open: String, closed: String, TempDir) {
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let c = try Conversation(path: server.socketPath)
        for text in ["first words", "second words, ä🙂"] {
            XCTAssertNotNil(c.call("answers.save", #"{"promptId":"\#(prompt)","text":\#(jsonString(text))}"#)?["result"])
        }
        let pass = try XCTUnwrap((c.call("answers.get", #"{"promptId":"\#(prompt)"}"#)?["result"] as? JSONObject)?["passId"] as? String)
        let closed = try XCTUnwrap((c.call("passes.start", #"{"workbookId":"solidarity","title":"old"}"#)?["result"] as? JSONObject)?["id"] as? String)
        XCTAssertNotNil(c.call("passes.close", #"{"passId":"\#(closed)"}"#)?["result"])
        // The newest pass is now the closed one: saves without passId start a third; keep it simple
        // by naming passes explicitly below.
        return (server, c, pass, closed, dir)
    }

    /// Sends `body` as one message and checks the single reply's code (and `data` fields), then that
    /// nothing in the database changed.
    @discardableResult
    private func expect(_ name: String, _ body: [UInt8], code: Int, on c: Conversation, _ server: SocketServer,
                        data: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) throws -> JSONObject? {
        let before = try DatabaseFile.snapshot(server.databasePath)
        let replies = c.sendRaw(body)
        XCTAssertEqual(replies.count, 1, "\(name): \(replies.map(FuzzHarness.show))", file: file, line: line)
        let reply = object(replies.first)
        XCTAssertEqual(errorCode(reply), code, "\(name): \(replies.first.map(FuzzHarness.show) ?? "no reply")", file: file, line: line)
        for (key, value) in data {
            let got = errorData(reply)?[key].map { "\($0)" }
            XCTAssertEqual(got, value, "\(name): data.\(key)", file: file, line: line)
        }
        XCTAssertEqual(try DatabaseFile.snapshot(server.databasePath), before, "\(name) changed the database", file: file, line: line)
        cases += 1
        return reply
    }

    private var cases = 0

    private func call(_ method: String, _ params: String, id: Int = 7) -> [UInt8] { request(id, method, params) }

    func testWireLevelBadInputInBothFramings() throws {
        let (server, _, _, _, _dir) = try seeded()
        _ = _dir
        for headers in [false, true] {
            let c = try Conversation(path: server.socketPath, headers: headers)
            XCTAssertNotNil(c.call("server.ping"))
            let big = call("answers.save", #"{"promptId":"\#(prompt)","text":""# + String(repeating: "a", count: 4 << 20) + #""}"#)
            try expect("oversized message", big, code: -32000, on: c, server, data: ["limit": "maxMessageBytes"])
            try expect("100 000 [", Array(repeating: UInt8(ascii: "["), count: 100_000), code: -32000, on: c, server, data: ["limit": "maxDepth"])
            let deepText = call("answers.save", #"{"promptId":"\#(prompt)","text":"# + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}")
            try expect("deep params", deepText, code: -32000, on: c, server, data: ["limit": "maxDepth"])
            let save = String(decoding: call("answers.save", #"{"promptId":"\#(prompt)","text":"batched"}"#), as: UTF8.self)
            try expect("batch of 101", Array(("[" + Array(repeating: save, count: 101).joined(separator: ",") + "]").utf8), code: -32001, on: c, server)
            try expect("batch of 10 000", Array(("[" + Array(repeating: save, count: 10_000).joined(separator: ",") + "]").utf8), code: -32001, on: c, server)
            let prefix = Array(#"{"jsonrpc":"2.0","id":1,"method":"answers.save","params":{"promptId":"\#(prompt)","text":""#.utf8)
            let suffix = Array(#""}}"#.utf8)
            for (label, bad) in [("invalid UTF-8", [0xC3, 0x28]), ("overlong UTF-8", [0xC0, 0xAF]), ("UTF-8 surrogate", [0xED, 0xA0, 0x80]),
                                 ("past U+10FFFF", [0xF4, 0x90, 0x80, 0x80]), ("truncated sequence", [0xE2, 0x82]), ("raw NUL", [0x00]),
                                 ("raw control character", [0x01])] as [(String, [UInt8])] {
                try expect(label, prefix + bad + suffix, code: -32700, on: c, server)
            }
            try expect("invalid UTF-8 in a key", Array(#"{"jsonrpc":"2.0","id":1,"method":"server.ping",""#.utf8) + [0xFF] + Array(#"":1}"#.utf8), code: -32700, on: c, server)
            try expect("truncated JSON", Array(#"{"jsonrpc":"2.0","id":1,"method":"answers.save","params":{"promptId":"#.utf8), code: -32700, on: c, server)
            // And the connection is still usable after all of it
            XCTAssertEqual((c.call("server.ping")?["result"] as? JSONObject)?.count, 0)
        }
        XCTAssertEqual(server.stop(), 0)
        report("bad-input-wire: cases=\(cases) changed=0")
    }

    func testAnswerLimitsNULAndConflicts() throws {
        let (server, c, pass, closed, _dir) = try seeded()
        _ = _dir
        let limit = 1 << 20
        let p = "\"promptId\":\"\(prompt)\",\"passId\":\"\(pass)\""
        try expect("answer 1 byte over", call("answers.save", "{\(p),\"text\":\"\(String(repeating: "a", count: limit + 1))\"}"),
                   code: 1005, on: c, server, data: ["kind": "answerTooLarge", "bytes": "\(limit + 1)", "limit": "\(limit)"])
        // 349 526 euro signs are under a million characters but 1 048 578 UTF-8 bytes
        try expect("answer over in UTF-8 bytes", call("answers.save", "{\(p),\"text\":\"\(String(repeating: "€", count: 349_526))\"}"),
                   code: 1005, on: c, server, data: ["bytes": "1048578"])
        try expect("saveMany item 1 too large", call("answers.saveMany", #"{"items":[{"promptId":"\#(other)","text":"fits","passId":"\#(pass)"},{\#(p),"text":"\#(String(repeating: "b", count: limit + 1))"}]}"#),
                   code: 1005, on: c, server, data: ["index": "1"])
        try expect("escaped NUL in text", call("answers.save", "{\(p),\"text\":\"a\\u0000b\"}"), code: -32602, on: c, server, data: ["field": "text"])
        try expect("escaped NUL in skip reason", call("answers.skip", "{\(p),\"reason\":\"\\u0000\"}"), code: -32602, on: c, server, data: ["field": "reason"])
        try expect("escaped NUL in a pass title", call("passes.start", #"{"workbookId":"solidarity","title":"a\u0000"}"#), code: -32602, on: c, server, data: ["field": "title"])
        try expect("escaped NUL in a search", call("search", #"{"query":"a\u0000"}"#), code: -32602, on: c, server, data: ["field": "query"])
        try expect("escaped NUL in a prompt id", call("answers.save", #"{"promptId":"\#(prompt)\u0000","text":"x","passId":"\#(pass)"}"#), code: 1002, on: c, server)
        // expectedRevision conflicts: the answer is at revision 2
        try expect("stale expectedRevision", call("answers.save", "{\(p),\"text\":\"new\",\"expectedRevision\":1}"),
                   code: 1004, on: c, server, data: ["kind": "revisionConflict", "currentRevision": "2"])
        try expect("expectedRevision 0 on an answered prompt", call("answers.save", "{\(p),\"text\":\"new\",\"expectedRevision\":0}"),
                   code: 1004, on: c, server, data: ["currentRevision": "2"])
        try expect("expectedRevision from the future", call("answers.save", #"{"promptId":"\#(other)","passId":"\#(pass)","text":"new","expectedRevision":3}"#),
                   code: 1004, on: c, server, data: ["currentRevision": "0"])
        try expect("stale skip", call("answers.skip", "{\(p),\"expectedRevision\":1}"), code: 1004, on: c, server)
        try expect("stale restore", call("answers.restore", "{\(p),\"revision\":1,\"expectedRevision\":1}"), code: 1004, on: c, server)
        try expect("saveMany: item 1 stale, item 0 not kept", call("answers.saveMany", #"{"items":[{"promptId":"\#(other)","text":"would be new","passId":"\#(pass)"},{\#(p),"text":"x","expectedRevision":0}]}"#),
                   code: 1004, on: c, server, data: ["index": "1", "currentRevision": "2"])
        let conflict = object(c.sendRaw(call("answers.save", "{\(p),\"text\":\"new\",\"expectedRevision\":1}")).first)
        XCTAssertEqual((errorData(conflict)?["current"] as? JSONObject)?["text"] as? String, "second words, ä🙂", "the conflict carries the stored answer")
        try expect("save to a closed pass", call("answers.save", #"{"promptId":"\#(prompt)","text":"x","passId":"\#(closed)"}"#), code: 1007, on: c, server)
        XCTAssertEqual(server.stop(), 0)
        report("bad-input-answers: cases=\(cases) changed=0")
    }

    func testUnknownIdsAndABrokenImport() throws {
        let (server, c, pass, _, _dir) = try seeded()
        _ = _dir
        let table: [(String, String, String, Int)] = [
            ("unknown workbook", "workbooks.get", #"{"workbookId":"nope"}"#, 1001),
            ("unknown workbook for a pass", "passes.start", #"{"workbookId":"nope"}"#, 1001),
            ("unknown workbook for progress", "progress.get", #"{"workbookId":"nope"}"#, 1001),
            ("unknown workbook for next", "prompts.next", #"{"workbookId":"nope"}"#, 1001),
            ("unknown workbook for export", "export", #"{"workbookId":"nope","format":"json"}"#, 1001),
            ("unknown prompt", "prompts.get", #"{"promptId":"nope"}"#, 1002),
            ("a context id is not a prompt", "answers.save", #"{"promptId":"what-is-solidarity.definition","text":"x"}"#, 1002),
            ("a section id is not a prompt", "answers.save", #"{"promptId":"what-is-solidarity","text":"x"}"#, 1002),
            ("unknown prompt to skip", "answers.skip", #"{"promptId":"nope"}"#, 1002),
            ("unknown prompt's history", "answers.history", #"{"promptId":"nope"}"#, 1002),
            ("unknown pass", "passes.get", #"{"passId":"\#(unknownPass)"}"#, 1003),
            ("unknown pass to close", "passes.close", #"{"passId":"\#(unknownPass)"}"#, 1003),
            ("unknown pass to delete", "passes.delete", #"{"passId":"\#(unknownPass)"}"#, 1003),
            ("a pass id that is no UUID", "passes.get", #"{"passId":"not-a-uuid"}"#, 1003),
            ("save to an unknown pass", "answers.save", #"{"promptId":"\#(prompt)","text":"x","passId":"\#(unknownPass)"}"#, 1003),
            ("read from an unknown pass", "answers.get", #"{"promptId":"\#(prompt)","passId":"\#(unknownPass)"}"#, 1003),
            ("earlier answers before an unknown pass", "prompts.get", #"{"promptId":"\#(prompt)","earlierBefore":"\#(unknownPass)"}"#, 1003),
            ("earlierLimit past 100", "prompts.get", #"{"promptId":"\#(prompt)","earlierLimit":101}"#, -32602),
            ("negative earlierLimit", "prompts.next", #"{"earlierLimit":-1}"#, -32602),
            ("unknown revision to restore", "answers.restore", #"{"promptId":"\#(prompt)","revision":99,"passId":"\#(pass)"}"#, -32602),
            ("unknown subscription", "unsubscribe", #"{"subscriptionId":"nope"}"#, -32602),
            ("wrong erase confirmation", "data.erase", #"{"confirm":"yes"}"#, -32602),
            ("fts5 syntax error", "search", #"{"query":"\"unterminated","syntax":"fts5"}"#, -32602),
            ("subscribe past the head", "subscribe", #"{"since":999999}"#, -32602),
            ("unknown method", "answers.saveAll", #"{}"#, -32601),
        ]
        for (name, method, params, code) in table { try expect(name, call(method, params), code: code, on: c, server) }

        // An export to import: two passes with revisions
        XCTAssertNotNil(c.call("answers.save", #"{"promptId":"\#(other)","text":"third answer","passId":"\#(pass)"}"#)?["result"])
        let export = try XCTUnwrap((c.call("export", #"{"format":"json"}"#)?["result"] as? JSONObject)?["content"] as? JSONObject)
        XCTAssertNotNil(c.call("data.erase", #"{"confirm":"erase all answers"}"#)?["result"])
        var passes = try XCTUnwrap(export["passes"] as? [JSONObject])
        XCTAssertGreaterThanOrEqual(passes.count, 1)
        var revisions = try XCTUnwrap(passes[0]["revisions"] as? [JSONObject])
        XCTAssertGreaterThanOrEqual(revisions.count, 3)
        func document(_ passes: [JSONObject]) throws -> String {
            var doc = export
            doc["passes"] = passes
            return String(decoding: try JSONSerialization.data(withJSONObject: ["document": doc]), as: UTF8.self)
        }
        // Broken halfway, caught by validation: the last revision's time is not a time
        revisions[revisions.count - 1]["at"] = "yesterday"
        var broken = passes
        broken[0]["revisions"] = revisions
        try expect("import: last revision broken", call("import", try document(broken)), code: 1008, on: c, server, data: ["kind": "importInvalid"])
        // Broken halfway, caught inside the transaction: pass 1 is valid, pass 2 names an existing
        // pass of another workbook, so pass 1 was already written when the import fails
        let existing = try XCTUnwrap((c.call("passes.start", #"{"workbookId":"solidarity"}"#)?["result"] as? JSONObject)?["id"] as? String)
        var clash = passes[0]
        clash["id"] = existing
        clash["workbookId"] = "another-workbook"
        clash["revisions"] = [] as [Any]
        passes = [passes[0], clash]
        try expect("import: second pass clashes", call("import", try document(passes)), code: 1008, on: c, server, data: ["kind": "importInvalid"])
        try expect("import: not an export", call("import", #"{"document":{"format":"something else"}}"#), code: 1008, on: c, server)
        try expect("import: a string", call("import", #"{"document":"x"}"#), code: 1008, on: c, server)
        // And the intact document still imports everything
        let result = try XCTUnwrap(c.call("import", try document([passes[0]]))?["result"] as? JSONObject)
        XCTAssertEqual(result["imported"] as? Int, (passes[0]["revisions"] as? [Any])?.count)
        XCTAssertEqual(server.stop(), 0)
        report("bad-input-ids-import: cases=\(cases) changed=0")
    }

    /// Regressions: U+0000 outside answer text (SQLite reads TEXT up to the first U+0000).
    func testNULInAClientNameOrAnImportedWorkbookIdIsNotStoredCut() throws {
        let (server, c, pass, _, _dir) = try seeded()
        _ = _dir
        // A client name with U+0000 is recorded as acknowledged (without it), not cut short
        XCTAssertNotNil(c.call("initialize", #"{"clientInfo":{"name":"ed\u0000itor"}}"#)?["result"])
        let saved = try XCTUnwrap(c.call("answers.save", #"{"promptId":"\#(other)","passId":"\#(pass)","text":"named"}"#)?["result"] as? JSONObject)
        let history = try XCTUnwrap(c.call("answers.history", #"{"promptId":"\#(other)","passId":"\#(pass)"}"#)?["result"] as? [JSONObject])
        XCTAssertEqual((saved["answer"] as? JSONObject)?["client"] as? String, "editor")
        XCTAssertEqual(history.last?["client"] as? String, "editor")
        // An import whose workbookId holds U+0000 is refused, nothing changed
        let doc = #"{"document":{"format":"workbook-export","formatVersion":1,"databaseId":"x","exportedAt":"2026-01-01T00:00:00.000Z","passes":[{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","workbookId":"solidarity\u0000x","title":null,"startedAt":"2026-01-01T00:00:00.000Z","closedAt":null,"revisions":[]}]}}"#
        try expect("import: U+0000 in a workbookId", call("import", doc), code: 1008, on: c, server, data: ["kind": "importInvalid"])
        XCTAssertEqual(server.stop(), 0)
    }

    /// Every param of every method, given each wrong type, and each required one missing or null.
    func testWrongTypesForEveryParamOfEveryMethod() throws {
        let (server, c, pass, _, _dir) = try seeded()
        _ = _dir
        let specs = paramSpecs(pass: pass)
        // The table covers the catalogue exactly, so a new param cannot go unchecked.
        for entry in MethodCatalogue.all {
            let spec = try XCTUnwrap(specs[entry.name], "no spec for \(entry.name)")
            XCTAssertEqual(Set(spec.types.keys), Set(entry.keys ?? ["clientInfo"]), entry.name)
        }
        XCTAssertEqual(Set(specs.keys), Set(MethodCatalogue.all.map(\.name)))
        for (method, spec) in specs.sorted(by: { $0.key < $1.key }) {
            for (key, type) in spec.types.sorted(by: { $0.key < $1.key }) {
                var wrong = type.wrongValues
                let required = spec.valid[key] != nil
                if required { wrong.append("null") }
                for value in wrong {
                    var params = spec.valid
                    params[key] = value
                    let code = type == .anyJSON ? 1008 : -32602
                    let nested = type == .items || type == .clientInfo
                    let reply = try expect("\(method).\(key) = \(value)", call(method, render(params)), code: code, on: c, server,
                                           data: code == -32602 && !nested ? ["field": key] : [:])
                    if nested {
                        let field = errorData(reply)?["field"] as? String ?? ""
                        XCTAssertTrue(field.hasPrefix(key), "\(method).\(key) = \(value): field \(field)")
                    }
                }
                if required {
                    var params = spec.valid
                    params[key] = nil
                    try expect("\(method) without \(key)", call(method, render(params)), code: -32602, on: c, server, data: ["field": key])
                }
            }
            if method != "initialize" {
                var params = spec.valid
                params["bogus"] = "1"
                try expect("\(method) with an unknown key", call(method, render(params)), code: -32602, on: c, server, data: ["field": "bogus"])
                try expect("\(method) with positional params", call(method, "[1]"), code: -32602, on: c, server)
            }
            try expect("\(method) with scalar params", call(method, "\"x\""), code: -32600, on: c, server)
        }
        XCTAssertEqual(server.stop(), 0)
        report("bad-input-types: methods=\(specs.count) cases=\(cases) changed=0")
    }

    private func render(_ params: [String: String]) -> String {
        "{" + params.sorted(by: { $0.key < $1.key }).map { "\(jsonString($0.key)):\($0.value)" }.joined(separator: ",") + "}"
    }

    enum ParamType: Equatable {
        case string, integer, status, format, syntax, items, anyJSON, clientInfo
        var wrongValues: [String] {
            switch self {
            case .string: return ["1", "true", "{}", "[]"]
            case .integer: return ["\"1\"", "1.5", "true", "[]", "9223372036854775808", "1e400"]
            case .status: return ["\"bogus\"", "1"]
            case .format: return ["\"pdf\"", "1"]
            case .syntax: return ["\"regex\"", "1"]
            case .items: return ["{}", "\"x\"", "[1]", "[{}]", #"[{"promptId":"what-is-solidarity.erased","text":1}]"#]
            case .anyJSON: return ["1", "\"x\"", "[]", "{}"]
            case .clientInfo: return ["\"x\"", "1", #"{"name":1}"#, "{}"]
            }
        }
    }

    struct Spec { var valid: [String: String]; var types: [String: ParamType] }

    /// Each method's required params (valid values) and every param's type.
    private func paramSpecs(pass: String) -> [String: Spec] {
        let p = jsonString(prompt), id = jsonString(pass)
        let none = Spec(valid: [:], types: [:])
        return [
            "rpc.discover": none, "server.info": none, "server.ping": none, "workbooks.list": none, "progress.list": none,
            "initialize": Spec(valid: [:], types: ["clientInfo": .clientInfo]),
            "workbooks.get": Spec(valid: ["workbookId": "\"solidarity\""], types: ["workbookId": .string]),
            "prompts.get": Spec(valid: ["promptId": p], types: ["promptId": .string, "passId": .string, "earlierLimit": .integer,
                                                             "earlierBefore": .string]),
            "prompts.next": Spec(valid: [:], types: ["workbookId": .string, "passId": .string, "after": .string, "earlierLimit": .integer]),
            "answers.save": Spec(valid: ["promptId": p, "text": "\"t\""],
                                 types: ["promptId": .string, "text": .string, "status": .status, "expectedRevision": .integer, "passId": .string]),
            "answers.saveMany": Spec(valid: ["items": "[]"], types: ["items": .items]),
            "answers.get": Spec(valid: ["promptId": p], types: ["promptId": .string, "passId": .string]),
            "answers.history": Spec(valid: ["promptId": p], types: ["promptId": .string, "passId": .string]),
            "answers.delete": Spec(valid: ["promptId": p], types: ["promptId": .string, "passId": .string]),
            "answers.list": Spec(valid: [:], types: ["workbookId": .string, "passId": .string, "status": .status]),
            "answers.skip": Spec(valid: ["promptId": p], types: ["promptId": .string, "reason": .string, "expectedRevision": .integer, "passId": .string]),
            "answers.restore": Spec(valid: ["promptId": p, "revision": "1"],
                                    types: ["promptId": .string, "revision": .integer, "expectedRevision": .integer, "passId": .string]),
            "data.erase": Spec(valid: ["confirm": "\"erase all answers\""], types: ["confirm": .string]),
            "passes.list": Spec(valid: [:], types: ["workbookId": .string]),
            "passes.start": Spec(valid: ["workbookId": "\"solidarity\""], types: ["workbookId": .string, "title": .string]),
            "passes.get": Spec(valid: ["passId": id], types: ["passId": .string]),
            "passes.close": Spec(valid: ["passId": id], types: ["passId": .string]),
            "passes.delete": Spec(valid: ["passId": id], types: ["passId": .string]),
            "progress.get": Spec(valid: [:], types: ["workbookId": .string, "passId": .string]),
            "search": Spec(valid: ["query": "\"words\""], types: ["query": .string, "workbookId": .string, "passId": .string, "limit": .integer, "syntax": .syntax]),
            "export": Spec(valid: ["format": "\"json\""], types: ["workbookId": .string, "passId": .string, "format": .format]),
            "import": Spec(valid: ["document": "{}"], types: ["document": .anyJSON]),
            "changes.list": Spec(valid: [:], types: ["since": .integer, "limit": .integer]),
            "subscribe": Spec(valid: [:], types: ["since": .integer]),
            "unsubscribe": Spec(valid: ["subscriptionId": "\"s\""], types: ["subscriptionId": .string]),
        ]
    }
}
