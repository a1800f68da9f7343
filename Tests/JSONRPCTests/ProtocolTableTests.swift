import NIOCore
import TestSupport
import XCTest
@testable import JSONRPC

/// The shared protocol table and the spec's section 7 examples over the in-memory transport
/// (the real framing decoder and channel handler on an EmbeddedChannel), in both framings.
final class ProtocolTableTests: XCTestCase {
    private func exchange(_ body: [UInt8], framing: Framing, spec: Bool) throws -> [[UInt8]] {
        let connection = try MemoryConnection(service: TestService(spec: spec))
        try connection.send(framing == .ndjson ? Frames.ndjson(body) : Frames.header(body))
        let out = try connection.output()
        if framing == .ndjson { return Frames.splitNDJSON(out) }
        return try XCTUnwrap(Frames.splitHeaders(out), "reply framing is not exactly Content-Length: N\\r\\n\\r\\n")
    }

    func testTableHasAtLeastThirtyCases() {
        XCTAssertGreaterThanOrEqual(ProtocolCases.all.count, 30)
    }

    func testProtocolTableInBothFramings() throws {
        for framing in [Framing.ndjson, .headers] {
            for c in ProtocolCases.all {
                // Given a fresh connection, When the case's message arrives
                let replies = try exchange(c.request, framing: framing, spec: false)
                // Then exactly the expected reply (or none) comes back
                guard let expected = c.reply else {
                    XCTAssertEqual(replies.count, 0, "\(framing) \(c.name): expected silence, got \(replies.map { String(decoding: $0, as: UTF8.self) })")
                    continue
                }
                XCTAssertEqual(replies.count, 1, "\(framing) \(c.name)")
                guard let reply = replies.first else { continue }
                XCTAssertTrue(JSONMatch.matches(actual: reply, expected: expected),
                              "\(framing) \(c.name): got \(String(decoding: reply, as: UTF8.self)), expected \(expected)")
            }
        }
    }

    func testLargeIdsAreEchoedByteForByte() throws {
        for id in ["9007199254740993", "123456789012345678901234567890", "-0", "1e400", #""\u00e9""#] {
            let replies = try exchange(Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"server.ping"}"#.utf8), framing: .ndjson, spec: false)
            XCTAssertEqual(replies.map { String(decoding: $0, as: UTF8.self) },
                           [#"{"jsonrpc":"2.0","id":\#(id),"result":{}}"#])
        }
    }

    func testSpecExamplesVerbatimAgainstTheSpecMethods() throws {
        for example in SpecExamples.all {
            // Verbatim (multi-line) bodies travel in Content-Length frames; NDJSON gets them on one line.
            for (framing, text) in [(Framing.headers, example.request), (.ndjson, example.compactRequest)] {
                let replies = try exchange(Array(text.utf8), framing: framing, spec: true)
                if let expected = example.specReply {
                    XCTAssertEqual(replies.count, 1, "\(example.name) \(framing)")
                    if let reply = replies.first {
                        XCTAssertTrue(JSONMatch.matches(actual: reply, expected: expected),
                                      "\(example.name) \(framing): got \(String(decoding: reply, as: UTF8.self))")
                    }
                } else {
                    XCTAssertEqual(replies.count, 0, "\(example.name) \(framing)")
                }
            }
        }
    }

    func testNotificationsRunButAreNeverAnswered() throws {
        let service = TestService(spec: true)
        let connection = try MemoryConnection(service: service)
        try connection.send(Frames.ndjson(Array(#"[{"jsonrpc":"2.0","method":"notify_sum","params":[1,2,4]},{"jsonrpc":"2.0","method":"notify_hello","params":[7]}]"#.utf8)))
        XCTAssertEqual(try connection.output(), [])
        XCTAssertEqual(service.context.recorded, ["sum [1, 2, 4]", "hello [7]"])
    }

    func testInternalErrorsHideDetails() throws {
        let replies = try exchange(Array(#"{"jsonrpc":"2.0","id":1,"method":"boom"}"#.utf8), framing: .ndjson, spec: false)
        XCTAssertEqual(replies.map { String(decoding: $0, as: UTF8.self) },
                       [#"{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error","data":{"kind":"internalError"}}}"#])
    }

    func testInvalidParamsNameTheField() throws {
        let replies = try exchange(Array(#"{"jsonrpc":"2.0","id":1,"method":"subtract","params":{"minuend":"x","subtrahend":1}}"#.utf8),
                                   framing: .ndjson, spec: true)
        XCTAssertEqual(replies.map { String(decoding: $0, as: UTF8.self) },
                       [#"{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Invalid params: 'minuend' must be an integer","data":{"field":"minuend","kind":"invalidParams"}}}"#])
        let missing = try exchange(Array(#"{"jsonrpc":"2.0","id":2,"method":"subtract","params":{"minuend":1}}"#.utf8),
                                   framing: .ndjson, spec: true)
        XCTAssertEqual(missing.map { String(decoding: $0, as: UTF8.self) },
                       [#"{"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"Invalid params: missing required parameter 'subtrahend'","data":{"field":"subtrahend","kind":"invalidParams"}}}"#])
    }

    func testTheConnectionKeepsServingAfterEveryError() throws {
        // Given one connection, When every table case is sent on it, each followed by a ping
        let connection = try MemoryConnection(service: TestService(spec: false))
        var expectedPings = 0
        for (n, c) in ProtocolCases.all.enumerated() {
            try connection.send(Frames.ndjson(c.request))
            try connection.send(Frames.ndjson(Array(#"{"jsonrpc":"2.0","id":"after-\#(n)","method":"server.ping"}"#.utf8)))
            expectedPings += 1
        }
        // Then every ping is answered
        let text = String(decoding: try connection.output(), as: UTF8.self)
        for n in 0..<expectedPings { XCTAssertTrue(text.contains(#""id":"after-\#(n)","result":{}"#), "ping after case \(n)") }
    }
}
