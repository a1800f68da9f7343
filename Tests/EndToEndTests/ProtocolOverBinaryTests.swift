import Foundation
import TestSupport
import XCTest

/// The protocol table and the spec's section 7 examples against the real binary, over a stdio pipe
/// and a real Unix socket, in both framings. Each case is followed by a marker ping, so the replies
/// between two markers belong to one case.
final class ProtocolOverBinaryTests: XCTestCase {
    private struct Probe { let name: String; let request: [UInt8]; let expected: String? }

    private var probes: [Probe] {
        ProtocolCases.all.map { Probe(name: $0.name, request: $0.request, expected: $0.reply) }
            + SpecExamples.all.map { Probe(name: "spec: " + $0.name, request: Array($0.compactRequest.utf8), expected: $0.serverReply) }
    }

    private func marker(_ n: Int) -> [UInt8] { Array(#"{"jsonrpc":"2.0","id":"marker-\#(n)","method":"server.ping"}"#.utf8) }
    private func isMarker(_ body: [UInt8], _ n: Int) -> Bool {
        String(decoding: body, as: UTF8.self) == #"{"jsonrpc":"2.0","id":"marker-\#(n)","result":{}}"#
    }

    /// Groups a reply stream by markers and checks each probe.
    private func check(_ replies: [[UInt8]], _ label: String) {
        var index = 0
        for (n, probe) in probes.enumerated() {
            var got: [[UInt8]] = []
            while index < replies.count, !isMarker(replies[index], n) { got.append(replies[index]); index += 1 }
            XCTAssertLessThan(index, replies.count, "\(label): marker after '\(probe.name)' missing")
            index += 1
            if let expected = probe.expected {
                XCTAssertEqual(got.count, 1, "\(label) \(probe.name): \(got.map { String(decoding: $0, as: UTF8.self) })")
                if let reply = got.first {
                    XCTAssertTrue(JSONMatch.matches(actual: reply, expected: expected),
                                  "\(label) \(probe.name): got \(String(decoding: reply, as: UTF8.self)) expected \(expected)")
                }
            } else {
                XCTAssertEqual(got.count, 0, "\(label) \(probe.name): expected silence, got \(got.map { String(decoding: $0, as: UTF8.self) })")
            }
        }
    }

    private func stream(headers: Bool) -> [UInt8] {
        var input: [UInt8] = []
        for (n, probe) in probes.enumerated() {
            input += headers ? Frames.header(probe.request) : Frames.ndjson(probe.request)
            input += headers ? Frames.header(marker(n)) : Frames.ndjson(marker(n))
        }
        return input
    }

    func testTableOverStdioInBothFramings() throws {
        let dir = TempDir()
        for headers in [false, true] {
            // Given the whole table on stdin, When stdin reaches EOF
            let result = try Run.workbook(["serve", "--stdio", "--database", dir.file("db.sqlite"), "--log-level", "debug"],
                                          input: stream(headers: headers))
            // Then the server answered everything, exited 0, and stdout is protocol only
            XCTAssertEqual(result.status, 0, result.stderr)
            let replies = headers ? Frames.splitHeaders(result.stdout) : Frames.splitNDJSON(result.stdout)
            XCTAssertNotNil(replies, "stdout holds something that is not a Content-Length frame")
            check(replies ?? [], headers ? "stdio/headers" : "stdio/ndjson")
        }
    }

    func testTableOverTheSocketInBothFramings() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        for headers in [false, true] {
            let socket = try RawSocket(path: server.socketPath)
            var replies: [[UInt8]] = []
            for (n, probe) in probes.enumerated() {
                socket.send(headers ? Frames.header(probe.request) : Frames.ndjson(probe.request))
                socket.send(headers ? Frames.header(marker(n)) : Frames.ndjson(marker(n)))
                while let body = socket.readMessage(headers: headers) {
                    replies.append(body)
                    if isMarker(body, n) { break }
                }
            }
            check(replies, headers ? "socket/headers" : "socket/ndjson")
        }
        XCTAssertEqual(server.stop(), 0)
    }

    func testStdoutPurityEveryByteIsAJSONRPCMessage() throws {
        let dir = TempDir()
        let result = try Run.workbook(["serve", "--stdio", "--database", dir.file("db.sqlite"), "--log-level", "trace"],
                                      input: stream(headers: false))
        for line in result.stdout.split(separator: 10, omittingEmptySubsequences: false).dropLast() {
            let value = JSONMatch.parse(Array(line))
            let messages = (value as? [Any]) ?? [value as Any]
            for m in messages {
                XCTAssertEqual((m as? [String: Any])?["jsonrpc"] as? String, "2.0", "not a JSON-RPC message: \(String(decoding: line, as: UTF8.self))")
            }
        }
        XCTAssertEqual(result.stdout.last, 10)
        XCTAssertFalse(result.stderr.isEmpty, "trace logging went somewhere other than stderr")
    }

    func testDevNullStdinExitsCleanly() throws {
        let dir = TempDir()
        let result = try Run.workbook(["serve", "--stdio", "--database", dir.file("db.sqlite")])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, [])
    }

    func testRegularFileStdinAndALastLineWithoutNewline() throws {
        let dir = TempDir()
        let input = dir.file("in.jsonl")
        let text = #"{"jsonrpc":"2.0","id":1,"method":"server.ping"}"# + "\n" + #"{"jsonrpc":"2.0","id":2,"method":"server.ping"}"#
        try Data(text.utf8).write(to: URL(fileURLWithPath: input))
        let result = try Run.command(WorkbookBinary.path, ["serve", "--stdio", "--database", dir.file("db.sqlite")], stdinFile: input)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.out, #"{"jsonrpc":"2.0","id":1,"result":{}}"# + "\n" + #"{"jsonrpc":"2.0","id":2,"result":{}}"# + "\n")
    }

    func testHalfCloseOnTheSocketStillGetsEveryReply() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let socket = try RawSocket(path: server.socketPath)
        var batch: [UInt8] = []
        for n in 0..<200 { batch += Frames.ndjson(Array(#"{"jsonrpc":"2.0","id":\#(n),"method":"server.info"}"#.utf8)) }
        socket.send(batch + Array(#"{"jsonrpc":"2.0","id":"last","method":"server.ping"}"#.utf8))
        socket.shutdownWrite()
        let replies = Frames.splitNDJSON(socket.readToEnd())
        XCTAssertEqual(replies.count, 201)
        XCTAssertEqual(replies.last.map { String(decoding: $0, as: UTF8.self) }, #"{"jsonrpc":"2.0","id":"last","result":{}}"#)
        XCTAssertEqual(server.stop(), 0)
    }
}
