import Foundation
import TestSupport
import WorkbookServer
import XCTest

/// Keeps `schema/openrpc.json`, `schema/examples/` and the server from drifting apart: the method
/// catalogue, accepted params keys, the bytes the binary serves, the meta-schemas, and a replay of
/// every example against the real binary.
final class SchemaDriftTests: XCTestCase {
    private static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    private var openRPCPath: String { Self.repo.appendingPathComponent("schema/openrpc.json").path }
    private var examplesDirectory: String { Self.repo.appendingPathComponent("schema/examples").path }

    private struct Example {
        let file: String
        let method: String
        let request: AnyJSON
        let response: AnyJSON
        let json: AnyJSON
    }

    private struct ToolMissing: Error, CustomStringConvertible { let description: String }

    private func document() throws -> AnyJSON { try AnyJSON.load(openRPCPath) }

    private func documentedMethods() throws -> [String: AnyJSON] {
        var out: [String: AnyJSON] = [:]
        for method in try XCTUnwrap(try document()["methods"]?.array, "openrpc.json has no methods array") {
            let name = try XCTUnwrap(method["name"]?.string, "a method without a name")
            XCTAssertNil(out[name], "\(name) is documented twice")
            out[name] = method
        }
        return out
    }

    /// Every `NN-<method>.json`, in file-name order.
    private func examples() throws -> [Example] {
        let files = try FileManager.default.contentsOfDirectory(atPath: examplesDirectory)
            .filter { $0.hasSuffix(".json") }.sorted()
        return try files.map { file in
            let json = try AnyJSON.load(examplesDirectory + "/" + file)
            let stem = String(file.dropLast(".json".count))
            let parts = stem.split(separator: "-", maxSplits: 1)
            XCTAssertTrue(parts.count == 2 && parts[0].count == 2 && parts[0].allSatisfy(\.isNumber),
                          "\(file): name it NN-<method>.json (NN gives the replay order)")
            let method = parts.count == 2 ? String(parts[1]) : stem
            XCTAssertEqual(Set(json.object?.keys.map { $0 } ?? []), ["request", "response"], "\(file): expected {request, response}")
            return Example(file: file, method: method, request: json["request"] ?? .null,
                           response: json["response"] ?? .null, json: json)
        }
    }

    private func runner() throws -> JSONSchemaRunner {
        switch JSONSchemaRunner.check(repo: Self.repo) {
        case .ready(let runner): return runner
        case .skip(let why): throw XCTSkip(why)
        case .fail(let why): throw ToolMissing(description: why)
        }
    }

    // MARK: a. method names

    func testDocumentedMethodsEqualTheCatalogue() throws {
        let documented = Set(try documentedMethods().keys)
        let served = Set(MethodCatalogue.all.map(\.name))
        let undocumented = served.subtracting(documented).sorted()
        let unserved = documented.subtracting(served).sorted()
        XCTAssertEqual(undocumented, [], "served by MethodCatalogue but missing from schema/openrpc.json: \(undocumented)")
        XCTAssertEqual(unserved, [], "documented in schema/openrpc.json but missing from MethodCatalogue: \(unserved)")
    }

    // MARK: b. params keys

    func testDocumentedParamsEqualTheAcceptedKeys() throws {
        let documented = try documentedMethods()
        for entry in MethodCatalogue.all {
            guard let method = documented[entry.name] else { continue }  // reported by the test above
            let params = method["params"]?.array ?? []
            let names = params.compactMap { $0["name"]?.string }
            XCTAssertEqual(names.count, Set(names).count, "\(entry.name): a param is documented twice")
            XCTAssertEqual(method["paramStructure"], .string("by-name"), "\(entry.name): paramStructure must be by-name")
            if let keys = entry.keys {
                XCTAssertEqual(Set(names), keys, "\(entry.name): documented params \(names.sorted()) ≠ accepted keys \(keys.sorted())")
                XCTAssertNil(method["x-acceptsUnknownParams"], "\(entry.name) rejects unknown keys: remove x-acceptsUnknownParams")
            } else {
                XCTAssertEqual(entry.name, "initialize", "only initialize may accept any key")
                XCTAssertEqual(method["x-acceptsUnknownParams"], .bool(true),
                               "\(entry.name) accepts any key: document it with \"x-acceptsUnknownParams\": true")
                XCTAssertTrue(names.contains("clientInfo"), "\(entry.name): clientInfo is not documented")
            }
            for param in params {
                XCTAssertNotNil(param["schema"], "\(entry.name).\(param["name"]?.string ?? "?"): no schema")
            }
            XCTAssertNotNil(method["result"]?["schema"], "\(entry.name): no result schema")
            XCTAssertNotNil(method["summary"], "\(entry.name): no summary")
            XCTAssertEqual(method["examples"]?.array?.count, 1, "\(entry.name): expected one example pairing")
        }
    }

    // MARK: c. the binary serves the committed bytes

    func testOpenRPCCommandPrintsTheCommittedBytes() throws {
        let committed = Array(try Data(contentsOf: URL(fileURLWithPath: openRPCPath)))
        XCTAssertEqual(committed.last, 10, "schema/openrpc.json should end with a newline")
        let result = try Run.workbook(["openrpc"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout == committed,
                      "`workbook openrpc` differs from schema/openrpc.json (\(result.stdout.count) vs \(committed.count) bytes): rebuild the binary")
    }

    func testRPCDiscoverReturnsTheCommittedDocumentOnOneNDJSONLine() throws {
        let dir = TempDir()
        let request = Array(#"{"jsonrpc":"2.0","id":1,"method":"rpc.discover"}"#.utf8) + [10]
        let result = try Run.workbook(["serve", "--stdio", "--database", dir.file("db.sqlite")], input: request)
        XCTAssertEqual(result.status, 0, result.stderr)
        // NDJSON framing: the reply is one line, whatever the committed file's layout.
        let newlines = result.stdout.filter { $0 == 10 }.count
        XCTAssertTrue(newlines == 1 && result.stdout.last == 10,
                      "the rpc.discover reply spans \(newlines) lines on an NDJSON connection: it must be compacted to one line")
        let reply = try AnyJSON.parse(try XCTUnwrap(JSONStream.split(result.stdout).first, "no reply"))
        XCTAssertEqual(reply["id"], .number(1))
        let committed = try document()
        XCTAssertTrue(reply["result"] == committed, "rpc.discover's result differs from schema/openrpc.json")
    }

    // MARK: d. meta-schemas and method schemas

    func testOpenRPCDocumentIsValidAgainstTheMetaSchema() throws {
        let runner = try runner()
        let doc = try document()
        XCTAssertEqual(doc["openrpc"], .string("1.3.2"))
        let errors = try runner.validateOpenRPC(doc)
        XCTAssertEqual(errors, [], errors.joined(separator: "\n"))
    }

    func testExamplesAreValidJSONRPCAndMatchTheMethodSchemas() throws {
        let runner = try runner()
        let methods = try documentedMethods()
        var items: [SchemaItem] = []
        for example in try examples() {
            items.append(SchemaItem(label: "\(example.file) request", kind: "JSONRPCRequest", instance: example.request))
            items.append(SchemaItem(label: "\(example.file) response", kind: "JSONRPCResponse", instance: example.response))
            guard let method = methods[example.method] else { continue }  // reported by the catalogue test
            items.append(SchemaItem(label: "\(example.file) params", kind: "schema", schema: paramsSchema(method),
                                    instance: example.request["params"] ?? .object([:])))
            if let result = example.response["result"], let schema = method["result"]?["schema"] {
                items.append(SchemaItem(label: "\(example.file) result", kind: "schema", schema: schema, instance: result))
            }
            // The pairing inside openrpc.json must satisfy the same schemas.
            if let pairing = method["examples"]?.array?.first {
                var params: [String: AnyJSON] = [:]
                for p in pairing["params"]?.array ?? [] { params[p["name"]?.string ?? "?"] = p["value"] }
                items.append(SchemaItem(label: "openrpc.json \(example.method) example params", kind: "schema",
                                        schema: paramsSchema(method), instance: .object(params)))
                if let value = pairing["result"]?["value"], let schema = method["result"]?["schema"] {
                    items.append(SchemaItem(label: "openrpc.json \(example.method) example result", kind: "schema",
                                            schema: schema, instance: value))
                }
            }
        }
        let errors = try runner.validate(items, document: try document())
        XCTAssertEqual(errors, [], errors.joined(separator: "\n"))
    }

    /// An object schema built from a method's params (closed, except for `initialize`).
    private func paramsSchema(_ method: AnyJSON) -> AnyJSON {
        var properties: [String: AnyJSON] = [:]
        var required: [AnyJSON] = []
        for p in method["params"]?.array ?? [] {
            guard let name = p["name"]?.string else { continue }
            properties[name] = p["schema"] ?? .object([:])
            if p["required"] == .bool(true) { required.append(.string(name)) }
        }
        return .object(["type": .string("object"), "properties": .object(properties), "required": .array(required),
                        "additionalProperties": .bool(method["x-acceptsUnknownParams"] == .bool(true))])
    }

    // MARK: e. one example per method

    func testEveryCatalogueMethodHasExactlyOneExample() throws {
        let examples = try examples()
        let served = Set(MethodCatalogue.all.map(\.name))
        for example in examples {
            XCTAssertTrue(served.contains(example.method), "\(example.file) names \(example.method), which MethodCatalogue does not serve")
            XCTAssertEqual(example.request["method"]?.string, example.method, "\(example.file): request.method differs from the file name")
            XCTAssertEqual(example.request["jsonrpc"], .string("2.0"), "\(example.file): request.jsonrpc")
            XCTAssertNotNil(example.request["id"], "\(example.file): the request needs an id")
            if let params = example.request["params"] { XCTAssertNotNil(params.object, "\(example.file): params must be by name") }
        }
        var counts: [String: Int] = [:]
        for example in examples { counts[example.method, default: 0] += 1 }
        for name in served.sorted() {
            XCTAssertEqual(counts[name] ?? 0, 1, "\(name): expected exactly one file schema/examples/NN-\(name).json")
        }
        let ids = examples.compactMap { $0.request["id"] }
        XCTAssertEqual(ids.count, Set(ids).count, "example request ids must be unique (the replay matches replies by id)")
    }

    // MARK: f. replay against the real server

    private struct Replay {
        var replies: [AnyJSON: AnyJSON] = [:]
        var notifications: [AnyJSON] = []
        var stray: [String] = []
    }

    /// Sends every example request, in file-name order, to one `serve --stdio` on a fresh database.
    private func replay(_ examples: [Example]) throws -> Replay {
        let dir = TempDir()
        var input: [UInt8] = []
        for example in examples { input += example.request.bytes + [10] }
        let result = try Run.workbook(["serve", "--stdio", "--database", dir.file("workbook.sqlite")], input: input)
        XCTAssertEqual(result.status, 0, result.stderr)
        var replay = Replay()
        for body in JSONStream.split(result.stdout) {
            guard let message = try? AnyJSON.parse(body) else {
                replay.stray.append(String(decoding: body.prefix(200), as: UTF8.self))
                continue
            }
            if let id = message["id"] {
                XCTAssertNil(replay.replies[id], "two replies with id \(id.text)")
                replay.replies[id] = message
            } else if message["method"] != nil {
                replay.notifications.append(message)
            } else {
                replay.stray.append(message.text)
            }
        }
        return replay
    }

    func testExamplesReplayAgainstTheRealServer() throws {
        let examples = try examples()
        let replay = try replay(examples)
        XCTAssertEqual(replay.stray, [], "stdout held something that is neither a reply nor a notification")
        for example in examples {
            guard let id = example.request["id"] else { continue }
            guard let actual = replay.replies[id] else {
                XCTFail("\(example.file): no reply to id \(id.text)")
                continue
            }
            let problems = Placeholders.mismatches(actual: actual, expected: example.response)
            XCTAssertEqual(problems, [], "\(example.file) differs from the server's reply:\n" + problems.joined(separator: "\n"))
        }
    }

    func testRealRepliesAndNotificationsMatchTheDocumentedSchemas() throws {
        let runner = try runner()
        let doc = try document()
        let methods = try documentedMethods()
        let examples = try examples()
        let replay = try replay(examples)
        var items: [SchemaItem] = []
        for example in examples {
            guard let id = example.request["id"], let actual = replay.replies[id],
                  let schema = methods[example.method]?["result"]?["schema"] else { continue }
            items.append(SchemaItem(label: "\(example.method) reply", kind: "JSONRPCResponse", instance: actual))
            if let result = actual["result"] {
                items.append(SchemaItem(label: "\(example.method) result", kind: "schema", schema: schema, instance: result))
            }
        }
        var notificationSchemas: [String: AnyJSON] = [:]
        for n in doc["x-notifications"]?.array ?? [] {
            if let name = n["name"]?.string, let schema = n["schema"] { notificationSchemas[name] = schema }
        }
        XCTAssertEqual(Set(notificationSchemas.keys), ["workbook.changed", "workbook.subscriptionDropped"],
                       "x-notifications must describe both notifications")
        for (n, message) in replay.notifications.enumerated() {
            let name = message["method"]?.string ?? "?"
            guard let schema = notificationSchemas[name] else {
                XCTFail("undocumented notification \(name)")
                continue
            }
            items.append(SchemaItem(label: "notification \(n) \(name)", kind: "schema", schema: schema,
                                    instance: message["params"] ?? .null))
        }
        let errors = try runner.validate(items, document: doc)
        XCTAssertEqual(errors, [], errors.joined(separator: "\n"))
    }
}
