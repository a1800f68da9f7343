import Foundation
import TestSupport
import XCTest

/// A client that floods requests and never reads its replies costs the server bounded memory
/// (PROTOCOL.md: "never unbounded memory"), gets every reply in order once it reads, and does not
/// stall other connections.
final class BackpressureTests: XCTestCase {
    /// 500 requests of 4 KiB (2 MB, far more than one read burst) whose replies are rpc.discover's
    /// ~94 KB document: ~47 MB of replies if the server buffered them all.
    private let count = 500
    private let padding = String(repeating: "p", count: 4000)

    func testAFloodThatIsNeverReadIsHeldAtTheSocketAndEveryReplyArrivesInOrderLater() throws {
        #if !os(Linux)
        throw XCTSkip("reads /proc and SIOCOUTQ")
        #else
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let pid = server.process.processIdentifier
        // Given a server that has answered one rpc.discover (so its peak includes one reply)
        let probe = try RawSocket(path: server.socketPath)
        probe.send(Frames.ndjson(Array(#"{"jsonrpc":"2.0","id":0,"method":"rpc.discover"}"#.utf8)))
        let one = try XCTUnwrap(probe.readMessage(headers: false))
        XCTAssertGreaterThan(one.count, 50_000, "rpc.discover's reply is large")
        let before = try XCTUnwrap(ProcessMemory.of(pid))

        // When a client writes the whole flood and reads nothing
        let flood = try RawSocket(path: server.socketPath)
        var bytes: [UInt8] = []
        for n in 1...count {
            bytes += Frames.ndjson(Array(#"{"jsonrpc":"2.0","id":\#(n),"method":"rpc.discover","pad":"\#(padding)"}"#.utf8))
        }
        let written = DispatchSemaphore(value: 0)
        let fd = flood.fd, flooding = bytes
        Thread {
            var offset = 0
            while offset < flooding.count {
                let n = flooding.withUnsafeBytes { send(fd, $0.baseAddress! + offset, flooding.count - offset, Int32(MSG_NOSIGNAL)) }
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                offset += n
            }
            written.signal()
        }.start()
        // Then the server stops reading: the bytes it has not read stay put. This waits for a
        // standstill (2 s without change), which no reply can signal; it ends early when the server
        // has read everything (the failure this test is for).
        var unread = -1, unchangedSamples = 0, readEverything = false
        let deadline = Date().addingTimeInterval(90)
        while unchangedSamples < 20 {
            let now = flood.unreadByServer
            if now == 0, written.wait(timeout: .now()) == .success { readEverything = true; written.signal(); break }
            if now == unread { unchangedSamples += 1 } else { unread = now; unchangedSamples = 0 }
            guard Date() < deadline else { return XCTFail("the flood neither stalled nor was read within 90 s") }
            usleep(100_000)
        }
        XCTAssertFalse(readEverything, "the server read the whole flood while none of its replies were read")
        XCTAssertGreaterThan(unread, 0)
        // And another connection is still answered meanwhile
        probe.send(Frames.ndjson(Array(#"{"jsonrpc":"2.0","id":"other","method":"server.ping"}"#.utf8)))
        XCTAssertEqual(probe.readMessage(headers: false).map { String(decoding: $0, as: UTF8.self) },
                       #"{"jsonrpc":"2.0","id":"other","result":{}}"#)

        // When the client reads, Then every reply arrives, in order, each the full document
        for n in 1...count {
            guard let reply = flood.readMessage(headers: false) else { return XCTFail("connection ended after \(n - 1) replies") }
            let prefix = Array(#"{"jsonrpc":"2.0","id":\#(n),"result":"#.utf8)
            guard reply.starts(with: prefix), reply.count == one.count - 1 + String(n).utf8.count else {
                return XCTFail("reply \(n): \(String(decoding: reply.prefix(120), as: UTF8.self))")
            }
        }
        XCTAssertEqual(written.wait(timeout: .now() + 30), .success, "the whole flood was written")
        // And the server's peak memory grew by far less than the 47 MB an unbounded buffer takes
        let after = try XCTUnwrap(ProcessMemory.of(pid))
        XCTAssertLessThan(after.peakKiB - before.peakKiB, 16 << 10,
                          "peak RSS grew from \(before.peakKiB) KiB to \(after.peakKiB) KiB")
        XCTAssertEqual(server.stop(), 0)
        #endif
    }
}
