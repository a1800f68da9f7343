import NIOCore
import NIOEmbedded
import TestSupport
import XCTest
@testable import JSONRPC

/// `.deferred` methods (answer saves): a lone call starts on the event loop and its reply is written
/// when it completes; the connection's replies stay in request order meanwhile.
final class DeferredCallTests: XCTestCase {
    private func request(_ id: Int, _ method: String, _ params: String = "{}") -> [UInt8] {
        Frames.ndjson(Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#.utf8))
    }

    private func replies(_ connection: MemoryConnection) throws -> [String] {
        Frames.splitNDJSON(try connection.output()).map { String(decoding: $0, as: UTF8.self) }
    }

    func testTheReplyWaitsForTheCompletionAndLaterRequestsWaitForIt() throws {
        let service = TestService(spec: false)
        let connection = try MemoryConnection(service: service)
        // Given a deferred call that has not completed, and a ping after it
        try connection.send(request(1, "held", #"{"value":4}"#) + request(2, "server.ping"))
        // Then nothing is answered yet: the ping waits its turn
        XCTAssertEqual(try replies(connection), [])
        // When the call completes, Then both replies come, in request order
        XCTAssertEqual(service.context.completeHeld(), 1)
        XCTAssertEqual(try replies(connection), [#"{"jsonrpc":"2.0","id":1,"result":40}"#, #"{"jsonrpc":"2.0","id":2,"result":{}}"#])
    }

    func testAFailureBecomesItsErrorReplyAndTheConnectionGoesOn() throws {
        let service = TestService(spec: false)
        let connection = try MemoryConnection(service: service)
        try connection.send(request(1, "held", #"{"value":4,"now":true,"fail":true}"#) + request(2, "held", #"{"value":5,"now":true}"#))
        let out = try replies(connection)
        XCTAssertEqual(out.count, 2, out.joined(separator: "\n"))
        XCTAssertTrue(JSONMatch.matches(actual: Array(out[0].utf8), expected: #"{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Invalid params: held 4 failed"}}"#), out[0])
        XCTAssertEqual(out[1], #"{"jsonrpc":"2.0","id":2,"result":50}"#)
    }

    func testBadParamsAreRefusedBeforeTheCallStarts() throws {
        let service = TestService(spec: false)
        let connection = try MemoryConnection(service: service)
        try connection.send(request(1, "held", #"{"value":"four"}"#))
        let out = try replies(connection)
        XCTAssertTrue(JSONMatch.matches(actual: Array(out.first?.utf8 ?? "".utf8), expected: #"{"jsonrpc":"2.0","id":1,"error":{"code":-32602}}"#), "\(out)")
        XCTAssertEqual(service.context.completeHeld(), 0, "nothing was started")
    }

    func testANotificationRunsAndIsNotAnswered() throws {
        let service = TestService(spec: false)
        let connection = try MemoryConnection(service: service)
        try connection.send(Frames.ndjson(Array(#"{"jsonrpc":"2.0","method":"held","params":{"value":1}}"#.utf8)) + request(2, "server.ping"))
        XCTAssertEqual(service.context.completeHeld(), 1)
        XCTAssertEqual(try replies(connection), [#"{"jsonrpc":"2.0","id":2,"result":{}}"#])
    }

    func testInABatchADeferredCallIsWaitedForInOrder() throws {
        // The batch path runs `handle` (start, then wait), as the pool does.
        let service = TestService(spec: false)
        let message = Array(#"[{"jsonrpc":"2.0","id":1,"method":"held","params":{"value":2,"now":true}},{"jsonrpc":"2.0","id":2,"method":"server.ping"}]"#.utf8)
        let prepared = service.dispatcher.prepare(message)
        XCTAssertFalse(prepared.startDeferred(service.context) { _ in XCTFail("a batch is not started as one deferred call") })
        let reply = prepared.run(service.context).map { String(decoding: $0, as: UTF8.self) }
        XCTAssertEqual(reply, #"[{"jsonrpc":"2.0","id":1,"result":20},{"jsonrpc":"2.0","id":2,"result":{}}]"#)
    }
}
