import Foundation
import TestSupport
import XCTest

/// `workbook serve`'s transport choice and its limit flags, through the built binary. Every test
/// points XDG_RUNTIME_DIR (or TMPDIR) at a temporary directory: the real default socket is never used.
final class ServeModeTests: XCTestCase {
    private let ping = Frames.ndjson(Array(#"{"jsonrpc":"2.0","id":1,"method":"server.ping"}"#.utf8))
    private let pong = #"{"jsonrpc":"2.0","id":1,"result":{}}"#

    private func answersPing(_ path: String) throws -> Bool {
        let socket = try RawSocket(path: path)
        socket.send(ping)
        return socket.readMessage(headers: false).map { String(decoding: $0, as: UTF8.self) } == pong
    }

    private func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
    }

    /// Serves with `arguments` and XDG_RUNTIME_DIR=dir, expecting dir/workbook/workbook.sock.
    private func servesTheDefaultSocket(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = TempDir()
        let path = dir.file("workbook/workbook.sock")
        let server = try SocketServer(dir: dir, socket: path, environment: ["XDG_RUNTIME_DIR": dir.path, "WORKBOOK_SOCKET": ""],
                                      arguments: arguments + ["--database", dir.file("db.sqlite")])
        XCTAssertTrue(server.stderr.contains("listening on \(path)"), server.stderr, file: file, line: line)
        XCTAssertTrue(try answersPing(path), file: file, line: line)
        XCTAssertEqual(mode(dir.file("workbook")), 0o700, file: file, line: line)
        XCTAssertEqual(mode(path), 0o600, file: file, line: line)
        XCTAssertEqual(server.stop(), 0, file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), file: file, line: line)
    }

    func testServeWithNoTransportFlagServesTheDefaultSocket() throws {
        try servesTheDefaultSocket([])
    }

    func testABareSocketFlagServesTheDefaultSocket() throws {
        try servesTheDefaultSocket(["--socket"])
    }

    func testABareSocketFlagFollowedByAnotherOptionServesTheDefaultSocket() throws {
        try servesTheDefaultSocket(["--socket", "--log-level", "info"])
    }

    func testWithoutXDGRuntimeDirThePerUserDirectoryUnderTMPDIRIsUsed() throws {
        // Given no XDG_RUNTIME_DIR and TMPDIR pointing at a temporary directory
        let dir = TempDir()
        let own = dir.file("workbook-\(getuid())")
        let path = own + "/workbook.sock"
        // When serve runs with no transport flag
        let server = try SocketServer(dir: dir, socket: path,
                                      environment: ["XDG_RUNTIME_DIR": "", "WORKBOOK_SOCKET": "", "TMPDIR": dir.path + "/"],
                                      arguments: ["--database", dir.file("db.sqlite")])
        // Then it serves TMPDIR/workbook-UID/workbook.sock in a 0700 directory
        XCTAssertTrue(server.stderr.contains("listening on \(path)"), server.stderr)
        XCTAssertEqual(mode(own), 0o700)
        XCTAssertTrue(try answersPing(path))
        XCTAssertEqual(server.stop(), 0)
    }

    func testStdioAndSocketTogetherBothAnswer() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir, extra: ["--stdio"], stdio: true)
        // The socket answers
        XCTAssertTrue(try answersPing(server.socketPath))
        // And so does stdio, at the same time
        server.stdinPipe.fileHandleForWriting.write(Data(ping))
        var out = Data()
        while !out.contains(10) {
            let chunk = server.stdoutPipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            out += chunk
        }
        XCTAssertEqual(String(decoding: out, as: UTF8.self), pong + "\n")
        // When stdin ends, the server stops cleanly and removes the socket
        try server.stdinPipe.fileHandleForWriting.close()
        XCTAssertEqual(server.stop(), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: server.socketPath))
    }

    func testCustomLimitFlagsAreReportedByServerInfoAndEnforced() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir, extra: [
            "--max-message-bytes", "2000", "--max-batch-items", "3", "--max-answer-bytes", "100", "--max-depth", "5",
            "--max-connections", "3", "--idle-timeout", "2", "--max-subscriber-queue", "50",
        ])
        let socket = try RawSocket(path: server.socketPath)
        func call(_ body: String) -> String {
            socket.send(Frames.ndjson(Array(body.utf8)))
            return socket.readMessage(headers: false).map { String(decoding: $0, as: UTF8.self) } ?? "<closed>"
        }
        // server.info reports every flag
        let info = call(#"{"jsonrpc":"2.0","id":1,"method":"server.info"}"#)
        let limits = ((JSONMatch.parse(Array(info.utf8)) as? [String: Any])?["result"] as? [String: Any])?["limits"] as? [String: Int]
        XCTAssertEqual(limits, ["maxMessageBytes": 2000, "maxBatchItems": 3, "maxAnswerBytes": 100, "maxDepth": 5,
                                "maxConnections": 3, "idleTimeoutSeconds": 2, "maxSubscriberQueue": 50], info)
        // A 2001-byte message is refused, and the connection goes on
        let head = #"{"jsonrpc":"2.0","id":2,"method":"server.ping","x":""#, end = #""}"#
        let big = head + String(repeating: "a", count: 2001 - head.utf8.count - end.utf8.count) + end
        XCTAssertEqual(big.utf8.count, 2001)
        XCTAssertTrue(JSONMatch.matches(actual: Array(call(big).utf8), expected: #"{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"data":{"kind":"limitExceeded","limit":"maxMessageBytes","value":2000}}}"#))
        // A batch of 4 is refused
        let member = #"{"jsonrpc":"2.0","id":3,"method":"server.ping"}"#
        XCTAssertTrue(JSONMatch.matches(actual: Array(call("[" + Array(repeating: member, count: 4).joined(separator: ",") + "]").utf8),
                                        expected: #"{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"data":{"kind":"batchTooLarge","limit":"maxBatchItems","value":3}}}"#))
        // Nesting of 6 is refused
        XCTAssertTrue(JSONMatch.matches(actual: Array(call(#"{"jsonrpc":"2.0","id":4,"method":"server.ping","x":[[[[[1]]]]]}"#).utf8),
                                        expected: #"{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"data":{"kind":"limitExceeded","limit":"maxDepth","value":5}}}"#))
        // A 101-byte answer is refused
        let tooLong = call(#"{"jsonrpc":"2.0","id":5,"method":"answers.save","params":{"promptId":"what-is-solidarity.better-future","text":""# + String(repeating: "b", count: 101) + #""}}"#)
        XCTAssertTrue(tooLong.contains(#""id":5,"error""#) && tooLong.contains("the limit is 100"), tooLong)
        // The fourth connection is refused
        let others = try [RawSocket(path: server.socketPath), RawSocket(path: server.socketPath)]
        for other in others { other.send(ping); XCTAssertNotNil(other.readMessage(headers: false)) }
        let fourth = try RawSocket(path: server.socketPath)
        fourth.send(ping)
        XCTAssertTrue(JSONMatch.matches(actual: Frames.splitNDJSON(fourth.readToEnd()).first ?? [], expected: #"{"jsonrpc":"2.0","id":null,"error":{"code":-32002}}"#))
        // A partial message idle for 2 s closes the connection (the read waits for that close)
        socket.send(Array(#"{"jsonrpc":"2.0","id":6,"meth"#.utf8))
        let started = Date()
        XCTAssertEqual(socket.readToEnd(), [])
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 1.5)
        XCTAssertEqual(server.stop(), 0)
    }
}
