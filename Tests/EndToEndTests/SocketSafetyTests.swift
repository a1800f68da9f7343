import Foundation
import TestSupport
import XCTest

/// Socket permissions, stale sockets, a second server, signals, peers of another uid, limits.
final class SocketSafetyTests: XCTestCase {
    private let ping = Array(#"{"jsonrpc":"2.0","id":1,"method":"server.ping"}"#.utf8)

    private func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
    }

    func testDirectoryIs0700AndSocketIs0600() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        XCTAssertEqual(mode(dir.file("run")), 0o700)
        XCTAssertEqual(mode(server.socketPath), 0o600)
        XCTAssertEqual(server.stop(), 0)
    }

    func testDefaultSocketPathFollowsXDGRuntimeDir() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir, socket: "", environment: ["XDG_RUNTIME_DIR": dir.path])
        let path = dir.file("workbook/workbook.sock")
        XCTAssertTrue(server.stderr.contains("listening on \(path)"), server.stderr)
        XCTAssertEqual(mode(dir.file("workbook")), 0o700)
        let socket = try RawSocket(path: path)
        socket.send(Frames.ndjson(ping))
        XCTAssertEqual(socket.readMessage(headers: false).map { String(decoding: $0, as: UTF8.self) }, #"{"jsonrpc":"2.0","id":1,"result":{}}"#)
        XCTAssertEqual(server.stop(), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "socket removed at exit")
    }

    func testStaleSocketIsReplacedAndALiveOneIsNot() throws {
        let dir = TempDir()
        // Given a server killed with SIGKILL, leaving its socket file behind
        let first = try SocketServer(dir: dir)
        first.stop(signal: SIGKILL)
        XCTAssertTrue(FileManager.default.fileExists(atPath: first.socketPath))
        // When a new server starts on the same path, Then it replaces the stale socket
        let second = try SocketServer(dir: dir)
        // And a third one, while the second lives, is refused with a clear message
        let third = try Run.workbook(["serve", "--socket", second.socketPath, "--database", dir.file("db.sqlite")])
        XCTAssertNotEqual(third.status, 0)
        XCTAssertTrue(third.stderr.contains("already listening"), third.stderr)
        let socket = try RawSocket(path: second.socketPath)
        socket.send(Frames.ndjson(ping))
        XCTAssertNotNil(socket.readMessage(headers: false))
        XCTAssertEqual(second.stop(), 0)
    }

    func testARegularFileAtTheSocketPathIsNotDeleted() throws {
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir.file("run"), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        _ = FileManager.default.createFile(atPath: dir.file("run/wb.sock"), contents: Data("mine".utf8))
        let result = try Run.workbook(["serve", "--socket", dir.file("run/wb.sock"), "--database", dir.file("db.sqlite")])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(FileManager.default.contents(atPath: dir.file("run/wb.sock")), Data("mine".utf8))
    }

    func testSIGTERMFinishesInFlightRequestsRemovesTheSocketAndExitsZero() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let socket = try RawSocket(path: server.socketPath)
        var burst: [UInt8] = []
        for n in 0..<100 { burst += Frames.ndjson(Array(#"{"jsonrpc":"2.0","id":\#(n),"method":"server.info"}"#.utf8)) }
        socket.send(burst)
        // Wait for the first reply so the requests are known to be received, then signal.
        XCTAssertNotNil(socket.readMessage(headers: false))
        kill(server.process.processIdentifier, SIGTERM)
        let rest = Frames.splitNDJSON(socket.readToEnd())
        XCTAssertEqual(rest.count, 99, "every request received before SIGTERM is answered")
        XCTAssertEqual(server.stop(), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: server.socketPath))
    }

    func testConnectionOverTheLimitGetsBusyAndIsClosed() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir, extra: ["--max-connections", "2"])
        let a = try RawSocket(path: server.socketPath), b = try RawSocket(path: server.socketPath)
        for s in [a, b] { s.send(Frames.ndjson(ping)); XCTAssertNotNil(s.readMessage(headers: false)) }
        let c = try RawSocket(path: server.socketPath)
        let reply = c.readToEnd()
        XCTAssertTrue(JSONMatch.matches(actual: Frames.splitNDJSON(reply).first ?? [], expected: #"{"jsonrpc":"2.0","id":null,"error":{"code":-32002}}"#),
                      String(decoding: reply, as: UTF8.self))
        XCTAssertEqual(server.stop(), 0)
    }

    func testSocatFromTheShell() throws {
        guard let socat = Run.which("socat") else {
            if WorkbookBinary.isCI { XCTFail("socat is required in CI") }
            throw XCTSkip("socat is not installed")
        }
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let result = try Run.command("/bin/sh", ["-c", #"echo '{"jsonrpc":"2.0","id":1,"method":"server.ping"}' | "$1" - UNIX-CONNECT:"$2""#, "sh", socat, server.socketPath])
        XCTAssertEqual(result.out, #"{"jsonrpc":"2.0","id":1,"result":{}}"# + "\n")
        XCTAssertEqual(server.stop(), 0)
    }

    func testAPeerWithAnotherUIDIsRefusedEvenWithLooseModes() throws {
        guard getuid() == 0, let setpriv = Run.which("setpriv"), let socat = Run.which("socat") else {
            if WorkbookBinary.isCI { XCTFail("CI runs as root with setpriv and socat") }
            throw XCTSkip("needs root, setpriv and socat")
        }
        let dir = TempDir()
        chmod(dir.path, 0o755)
        let server = try SocketServer(dir: dir)
        // Given the directory and socket loosened by hand
        chmod(dir.file("run"), 0o777)
        chmod(server.socketPath, 0o777)
        // When uid 65534 connects and sends a ping
        let result = try Run.command(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", socat, "-t", "5", "-", "UNIX-CONNECT:" + server.socketPath],
                                     input: Frames.ndjson(ping))
        // Then nothing comes back and the server says why
        XCTAssertEqual(result.out, "", "another uid got a reply")
        XCTAssertTrue(server.stderr.contains("refused a connection from uid 65534"), server.stderr)
        // And our own uid still works
        let socket = try RawSocket(path: server.socketPath)
        socket.send(Frames.ndjson(ping))
        XCTAssertNotNil(socket.readMessage(headers: false))
        XCTAssertEqual(server.stop(), 0)
    }
}
