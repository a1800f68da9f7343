import NIOCore
import NIOEmbedded
import TestSupport
import XCTest
@testable import JSONRPC

/// Limits and connection behaviour of the channel handler, in memory.
final class ConnectionLimitsTests: XCTestCase {
    private let ping = Array(#"{"jsonrpc":"2.0","id":1,"method":"server.ping"}"#.utf8)

    func testOversizedNDJSONLineGetsAnErrorAndTheConnectionGoesOn() throws {
        let connection = try MemoryConnection(service: TestService(limits: Limits(maxMessageBytes: 100), spec: false))
        try connection.send(Frames.ndjson(Array(#"{"jsonrpc":"2.0","id":1,"method":"server.ping","x":""#.utf8)
                                          + Array(repeating: UInt8(ascii: "a"), count: 500) + Array(#""}"#.utf8)))
        try connection.send(Frames.ndjson(ping))
        let replies = Frames.splitNDJSON(try connection.output()).map { String(decoding: $0, as: UTF8.self) }
        XCTAssertEqual(replies, [
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Message exceeds the maxMessageBytes limit (100)","data":{"kind":"limitExceeded","limit":"maxMessageBytes","value":100}}}"#,
            #"{"jsonrpc":"2.0","id":1,"result":{}}"#,
        ])
        XCTAssertTrue(connection.channel.isActive)
    }

    func testOversizedContentLengthBodyIsSkipped() throws {
        let connection = try MemoryConnection(service: TestService(limits: Limits(maxMessageBytes: 100), spec: false))
        try connection.send(Array("Content-Length: 1000\r\n\r\n".utf8) + Array(repeating: UInt8(ascii: "a"), count: 1000))
        try connection.send(Frames.header(ping))
        let replies = try XCTUnwrap(Frames.splitHeaders(try connection.output()))
        XCTAssertEqual(replies.count, 2)
        XCTAssertTrue(JSONMatch.matches(actual: replies[0], expected: #"{"jsonrpc":"2.0","id":null,"error":{"code":-32000}}"#))
        XCTAssertEqual(String(decoding: replies[1], as: UTF8.self), #"{"jsonrpc":"2.0","id":1,"result":{}}"#)
    }

    func testMalformedHeaderGetsParseErrorThenClose() throws {
        let connection = try MemoryConnection(service: TestService(spec: false))
        try connection.send(Array("Content-Length: nope\r\n\r\n{}".utf8))
        let replies = try XCTUnwrap(Frames.splitHeaders(try connection.output()))
        XCTAssertEqual(replies.count, 1)
        XCTAssertTrue(JSONMatch.matches(actual: replies[0], expected: #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}"#))
        XCTAssertFalse(connection.channel.isActive)
    }

    func testBatchOverTheLimitIsOneError() throws {
        let connection = try MemoryConnection(service: TestService(limits: Limits(maxBatchItems: 3), spec: false))
        let batch = "[" + Array(repeating: String(decoding: ping, as: UTF8.self), count: 4).joined(separator: ",") + "]"
        try connection.send(Frames.ndjson(Array(batch.utf8)))
        let replies = Frames.splitNDJSON(try connection.output())
        XCTAssertEqual(replies.count, 1)
        XCTAssertTrue(JSONMatch.matches(actual: replies[0], expected: #"{"jsonrpc":"2.0","id":null,"error":{"code":-32001}}"#))
    }

    func testHundredThousandBracketsAreRefusedWithoutCrashing() throws {
        let connection = try MemoryConnection(service: TestService(spec: false))
        try connection.send(Frames.ndjson(Array(repeating: UInt8(ascii: "["), count: 100_000)))
        try connection.send(Frames.ndjson(ping))
        let replies = Frames.splitNDJSON(try connection.output())
        XCTAssertEqual(replies.count, 2)
        XCTAssertTrue(JSONMatch.matches(actual: replies[0], expected: #"{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"data":{"kind":"limitExceeded","limit":"maxDepth","value":64}}}"#))
    }

    func testIdlePartialMessageClosesTheConnection() throws {
        let connection = try MemoryConnection(service: TestService(limits: Limits(idleTimeoutSeconds: 5), spec: false))
        try connection.send(Array(#"{"jsonrpc":"2.0","id":1,"meth"#.utf8))
        connection.channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        XCTAssertTrue(connection.channel.isActive)
        connection.channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        XCTAssertFalse(connection.channel.isActive)
    }

    func testACompleteMessageCancelsTheIdleTimer() throws {
        let connection = try MemoryConnection(service: TestService(limits: Limits(idleTimeoutSeconds: 5), spec: false))
        try connection.send(Array(#"{"jsonrpc":"2.0","id":1,"meth"#.utf8))
        try connection.send(Array(#"od":"server.ping"}"#.utf8) + [10])
        connection.channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        XCTAssertTrue(connection.channel.isActive)
        XCTAssertEqual(Frames.splitNDJSON(try connection.output()).count, 1)
    }

    func testHalfCloseStillAnswersEverythingThenCloses() throws {
        let connection = try MemoryConnection(service: TestService(spec: false))
        try connection.send(Frames.ndjson(ping) + Array(#"{"jsonrpc":"2.0","id":2,"method":"server.ping"}"#.utf8))
        connection.channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        let replies = Frames.splitNDJSON(try connection.output())
        XCTAssertEqual(replies.count, 2, "the last line without \\n is answered too")
        XCTAssertFalse(connection.channel.isActive)
    }
}
