import Foundation
import JSONRPC
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue #6, area 2 (over the real socket): mutated messages in correct frames (each followed by a
/// marker ping, so replies are counted per message), then mutated and random byte streams in both
/// framings, written in random chunks and half-closed or dropped. The server must never crash or
/// hang, must answer `server.ping` on a fresh connection, and must owe no request a reply.
/// `WORKBOOK_STREAM_INPUTS` (default 600) sets the number of framed messages; a third as many streams.
final class StreamFuzzTests: XCTestCase {
    func testMutatedMessagesAndStreamsOverTheSocket() throws {
        ignoreSIGPIPE()
        let count = Knob.int("WORKBOOK_STREAM_INPUTS", 600)
        let seed = Knob.seed
        var mutator = FuzzMutator(seed: seed, seeds: FuzzCorpus.load().map(\.bytes))
        let dir = TempDir()
        let server = try SocketServer(dir: dir, extra: ["--max-message-bytes", "65536", "--idle-timeout", "5"])
        var findings: [String] = []
        var framed = 0, streams = 0, replies = 0

        // Given connections whose framing is fixed by a first ping
        for headers in [false, true] {
            var conversation = try Conversation(path: server.socketPath, headers: headers)
            XCTAssertNotNil(conversation.call("server.ping"))
            for n in 0..<(count / 2) {
                // When a mutated message arrives in a correct frame
                var body = mutator.next()
                if !headers { body = body.map { $0 == 10 ? 32 : $0 } }
                let got = conversation.sendRaw(body)
                framed += 1
                replies += got.count
                // Then it gets the replies the message is owed, and the connection goes on
                if let why = judge(body, got) {
                    findings.append("\(headers ? "headers" : "ndjson") #\(n): \(why)\n  message: \(FuzzHarness.show(body))\n  replies: \(got.map(FuzzHarness.show))")
                    conversation = try Conversation(path: server.socketPath, headers: headers)
                    _ = conversation.call("server.ping")
                }
            }
        }

        // Given whole streams of framed seeds, mutated as streams
        for n in 0..<max(20, count / 3) {
            let headers = mutator.below(2) == 0
            var stream: [UInt8] = []
            for _ in 0...mutator.below(8) {
                let body = mutator.seeds[mutator.below(mutator.seeds.count)]
                stream += headers ? Frames.header(body) : Frames.ndjson(body.map { $0 == 10 ? 32 : $0 })
            }
            for _ in 0..<mutator.below(5) { mutator.mutate(&stream) }
            // When it is written in random chunks, then half-closed (or, 1 in 4, just dropped)
            let socket = try RawSocket(path: server.socketPath)
            var offset = 0
            while offset < stream.count {
                let size = 1 + mutator.below(min(512, stream.count - offset))
                socket.send(Array(stream[offset..<(offset + size)]))
                offset += size
            }
            streams += 1
            if mutator.below(4) == 0 { continue }
            socket.shutdownWrite()
            let start = Date()
            _ = socket.readToEnd()
            // Then the server finishes and closes well before the 20 s safety net
            if Date().timeIntervalSince(start) > 10 {
                findings.append("stream #\(n) was not closed after half-close: \(FuzzHarness.show(stream))")
            }
            if n % 25 == 0 { checkAlive(server, &findings, "after stream #\(n)") }
        }
        checkAlive(server, &findings, "at the end")
        XCTAssertEqual(findings, [], findings.prefix(5).joined(separator: "\n"))
        XCTAssertTrue(server.process.isRunning, "the server died: \(server.stderr.suffix(2000))")
        XCTAssertEqual(server.stop(), 0, "a clean SIGTERM exit after the fuzzing")
        XCTAssertEqual(try DatabaseFile.integrity(server.databasePath), ["ok"])
        report("fuzz-stream: seed=\(seed) framed-messages=\(framed) streams=\(streams) replies=\(replies) findings=\(findings.count) crashes=0")
    }

    /// A fresh connection must still get a ping answered.
    private func checkAlive(_ server: SocketServer, _ findings: inout [String], _ when: String) {
        guard server.process.isRunning, let c = try? Conversation(path: server.socketPath),
              c.call("server.ping")?["result"] != nil else {
            findings.append("server.ping on a fresh connection failed \(when)")
            return
        }
    }

    /// Why the replies to `body` are wrong, or nil.
    private func judge(_ body: [UInt8], _ replies: [[UInt8]]) -> String? {
        if replies.contains(Array("<connection closed>".utf8)) { return "the connection closed" }
        if replies.count > 1 { return "\(replies.count) replies to one message" }
        let parsed = replies.first.map { try? JSONSerialization.jsonObject(with: Data($0), options: [.fragmentsAllowed]) }
        if let parsed {
            guard let parsed else {
                // Lone surrogate escapes: JSON by RFC 8259, not to Foundation (see FuzzHarness).
                let grammatical = replies[0].withUnsafeBytes { (try? JSONScanner.scan($0, maxDepth: 1 << 20)) != nil }
                let readable = (try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])) != nil
                return grammatical && !readable ? nil : "a reply that is not JSON"
            }
            for object in (parsed as? [Any]) ?? [parsed] {
                if let why = FuzzHarness.malformed(object) { return why }
            }
            let code = ((parsed as? [String: Any])?["error"] as? [String: Any])?["code"] as? Int
            if code == -32700 || code == -32000 { return nil }
        }
        let blank = body.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        guard !blank, let sent = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else { return nil }
        let owed: Bool
        if let batch = sent as? [Any], !batch.isEmpty, batch.count <= 100 {
            owed = batch.contains(where: FuzzHarness.owesReply)
        } else {
            owed = FuzzHarness.owesReply(sent)
        }
        if owed, replies.isEmpty { return "a request got no reply" }
        if !owed, !replies.isEmpty { return "a notification got a reply" }
        return nil
    }
}
