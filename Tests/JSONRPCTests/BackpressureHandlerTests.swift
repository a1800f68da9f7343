import NIOCore
import NIOEmbedded
import TestSupport
import XCTest
@testable import JSONRPC

/// Counts the reads that reach the head of the pipeline (the socket), so a test can see them held.
final class ReadCounter: ChannelOutboundHandler, @unchecked Sendable {
    typealias OutboundIn = Any
    var reads = 0
    func read(context: ChannelHandlerContext) {
        reads += 1
        context.read()
    }
}

/// RPCChannelHandler's backpressure and shutdown, in memory (every transport runs this handler).
final class BackpressureHandlerTests: XCTestCase {
    private func ping(_ id: Int) -> [UInt8] { Frames.ndjson(Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"server.ping"}"#.utf8)) }
    private func pong(_ id: Int) -> String { #"{"jsonrpc":"2.0","id":\#(id),"result":{}}"# }

    private func connection() throws -> (MemoryConnection, ReadCounter) {
        let connection = try MemoryConnection(service: TestService(spec: false))
        let counter = ReadCounter()
        try connection.channel.pipeline.syncOperations.addHandler(counter, position: .first)
        return (connection, counter)
    }

    private func replies(_ connection: MemoryConnection) throws -> [String] {
        Frames.splitNDJSON(try connection.output()).map { String(decoding: $0, as: UTF8.self) }
    }

    func testAnUnwritableChannelHoldsWorkAndReadsUntilItIsWritableAgain() throws {
        let (connection, counter) = try connection()
        connection.channel.read()
        XCTAssertEqual(counter.reads, 1, "reads pass while idle")
        // Given a peer that stopped taking replies
        connection.channel.isWritable = false
        connection.channel.pipeline.fireChannelWritabilityChanged()
        // When requests arrive and the channel asks to read more
        try connection.send(ping(1) + ping(2))
        connection.channel.read()
        // Then nothing runs and the read is held
        XCTAssertEqual(try replies(connection), [])
        XCTAssertEqual(counter.reads, 1)
        // When the peer catches up, Then the replies come in order and the held read goes out
        connection.channel.isWritable = true
        connection.channel.pipeline.fireChannelWritabilityChanged()
        XCTAssertEqual(try replies(connection), [pong(1), pong(2)])
        XCTAssertEqual(counter.reads, 2)
    }

    func testReadsPauseWhileTheQueueIsFullAndResumeWhenItDrains() throws {
        let (connection, counter) = try connection()
        connection.channel.isWritable = false
        connection.channel.pipeline.fireChannelWritabilityChanged()
        // Given as many queued messages as the bound
        let bound = RPCChannelHandler<TestService>.maxPending
        try connection.send((1...bound).flatMap { ping($0) })
        // When the channel is writable again (not yet announced) and asks to read
        connection.channel.isWritable = true
        connection.channel.read()
        // Then the full queue alone holds the read
        XCTAssertEqual(counter.reads, 0)
        // When the queue drains, Then every reply is out and the read goes on
        connection.channel.pipeline.fireChannelWritabilityChanged()
        XCTAssertEqual(try replies(connection), (1...bound).map { pong($0) })
        XCTAssertEqual(counter.reads, 1)
    }

    func testRequestsAfterShutdownGetBusyWhileThoseBeforeFinishThenTheConnectionCloses() throws {
        let (connection, _) = try connection()
        // Given two requests received but not yet run (the peer is not reading)
        connection.channel.isWritable = false
        connection.channel.pipeline.fireChannelWritabilityChanged()
        try connection.send(ping(1) + ping(2))
        // When shutdown begins and more arrive: a request, a notification, a batch (one call, one
        // unknown method, which keeps its own error)
        connection.channel.pipeline.fireUserInboundEventTriggered(ShutdownRequest())
        try connection.send(ping(3) + Frames.ndjson(Array(#"{"jsonrpc":"2.0","method":"server.ping"}"#.utf8))
                            + Frames.ndjson(Array(#"[{"jsonrpc":"2.0","id":4,"method":"server.ping"},{"jsonrpc":"2.0","id":5,"method":"nope"}]"#.utf8)))
        XCTAssertTrue(connection.channel.isActive, "in-flight requests are not cut off")
        connection.channel.isWritable = true
        connection.channel.pipeline.fireChannelWritabilityChanged()
        // Then 1 and 2 are answered, every later request gets exactly one -32002, and it closes
        let out = try replies(connection)
        XCTAssertEqual(Array(out.prefix(2)), [pong(1), pong(2)])
        XCTAssertEqual(out.count, 4, out.joined(separator: "\n"))
        XCTAssertTrue(JSONMatch.matches(actual: Array(out[2].utf8), expected: #"{"jsonrpc":"2.0","id":3,"error":{"code":-32002,"message":"Server busy: shutting down"}}"#), out[2])
        XCTAssertTrue(JSONMatch.matches(actual: Array(out[3].utf8), expected: #"[{"jsonrpc":"2.0","id":4,"error":{"code":-32002}},{"jsonrpc":"2.0","id":5,"error":{"code":-32601}}]"#), out[3])
        XCTAssertFalse(connection.channel.isActive)
    }

    func testPeersWhoseCredentialsCannotBeReadAreRefused() throws {
        // Given a channel that cannot report its peer (no socket options)
        let channel = EmbeddedChannel()
        // When its credentials are read, Then there are none, and none admits nobody
        XCTAssertNil(try PeerCredentials.of(channel).wait())
        XCTAssertFalse(PeerCredentials.admits(nil, uid: getuid()))
        XCTAssertFalse(PeerCredentials.admits(PeerCredentials(pid: 1, uid: getuid() &+ 1, gid: 0), uid: getuid()))
        XCTAssertTrue(PeerCredentials.admits(PeerCredentials(pid: 1, uid: getuid(), gid: 0), uid: getuid()))
    }
}
