import Foundation
import TestSupport
import XCTest

/// Real notifications of every kind, validated against their schemas in `schema/openrpc.json`.
final class NotificationSchemaTests: XCTestCase {
    private static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    private let prompt = "what-is-solidarity.better-future"

    private struct ToolMissing: Error, CustomStringConvertible { let description: String }

    private func runner() throws -> JSONSchemaRunner {
        switch JSONSchemaRunner.check(repo: Self.repo) {
        case .ready(let runner): return runner
        case .skip(let why): throw XCTSkip(why)
        case .fail(let why): throw ToolMissing(description: why)
        }
    }

    private func call(_ socket: RawSocket, _ id: Int, _ method: String, _ params: String) {
        socket.send(LiveRPC.request(id, method, params))
        let read = socket.messages(within: 20) { $0["id"] as? Int == id }
        XCTAssertNotNil(read.messages.last?["result"], "\(method): \(read.messages.suffix(1))")
    }

    func testChangedAndBothKindsOfDroppedMatchTheDocumentedSchemas() throws {
        let runner = try runner()
        // Given a server with a queue cap of 5
        let dir = TempDir()
        let server = try SocketServer(dir: dir, extra: ["--max-subscriber-queue", "5"])
        let writer = try RawSocket(path: server.socketPath), watcher = try RawSocket(path: server.socketPath)
        var notifications: [[String: Any]] = []
        // When a watcher sees a save, a skip and a restore
        call(watcher, 1, "subscribe", "{}")
        call(writer, 2, "answers.save", #"{"promptId":"\#(prompt)","text":"one"}"#)
        call(writer, 3, "answers.skip", #"{"promptId":"\#(prompt)","reason":"later"}"#)
        call(writer, 4, "answers.restore", #"{"promptId":"\#(prompt)","revision":1}"#)
        let changed = watcher.messages(within: 20) { LiveRPC.cursors([$0]) == [4] }
        XCTAssertEqual(LiveRPC.cursors(changed.messages), [1, 2, 3, 4])
        notifications += changed.messages.filter { $0["method"] != nil }
        // And a subscriber that never reads is dropped for its full queue (2000 changes)
        let lazy = try RawSocket(path: server.socketPath)
        call(lazy, 1, "subscribe", "{}")
        for round in 0..<4 {
            let items = (0..<500).map { #"{"promptId":"solidarity-means","text":"r\#(round) n\#($0)"}"# }
            call(writer, 10 + round, "answers.saveMany", #"{"items":[\#(items.joined(separator: ","))]}"#)
        }
        let full = lazy.messages(within: 20) { $0["method"] as? String == "workbook.subscriptionDropped" }
        XCTAssertEqual((full.messages.last?["params"] as? [String: Any])?["reason"] as? String, "queueFull", "\(full.messages.suffix(1))")
        notifications += full.messages.suffix(1)
        // And a subscriber of a database that is restored from a backup is dropped too
        let backup = dir.file("backup.sqlite")
        XCTAssertEqual(try Run.workbook(["backup", backup, "--database", server.databasePath]).status, 0)
        let survivor = try RawSocket(path: server.socketPath)
        call(survivor, 1, "subscribe", "{}")
        XCTAssertEqual(try Run.workbook(["restore", backup, "--database", server.databasePath]).status, 0)
        let replaced = survivor.messages(within: 20) { $0["method"] as? String == "workbook.subscriptionDropped" }
        XCTAssertEqual((replaced.messages.last?["params"] as? [String: Any])?["reason"] as? String, "databaseReplaced")
        notifications += replaced.messages.suffix(1)
        // Then each notification's params match its x-notifications schema
        let doc = try AnyJSON.load(Self.repo.appendingPathComponent("schema/openrpc.json").path)
        var schemas: [String: AnyJSON] = [:]
        for n in doc["x-notifications"]?.array ?? [] {
            if let name = n["name"]?.string, let schema = n["schema"] { schemas[name] = schema }
        }
        XCTAssertEqual(notifications.map { $0["method"] as? String },
                       Array(repeating: "workbook.changed", count: 4) + ["workbook.subscriptionDropped", "workbook.subscriptionDropped"])
        var items: [SchemaItem] = []
        for (n, message) in notifications.enumerated() {
            let name = message["method"] as? String ?? "?"
            let params = try AnyJSON.parse(Array(try JSONSerialization.data(withJSONObject: message["params"] ?? NSNull())))
            items.append(SchemaItem(label: "notification \(n) \(name)", kind: "schema",
                                    schema: try XCTUnwrap(schemas[name], "undocumented \(name)"), instance: params))
        }
        let errors = try runner.validate(items, document: doc)
        XCTAssertEqual(errors, [], errors.joined(separator: "\n"))
        // And the validator does reject a reason that is not documented
        let wrong = try AnyJSON.parse(Array(#"{"subscriptionId":"s1","cursor":1,"reason":"tired","message":"x"}"#.utf8))
        let rejected = try runner.validate([SchemaItem(label: "wrong", kind: "schema", schema: schemas["workbook.subscriptionDropped"],
                                                       instance: wrong)], document: doc)
        XCTAssertEqual(rejected.count, 1, "\(rejected)")
        XCTAssertEqual(server.stop(), 0)
    }
}
