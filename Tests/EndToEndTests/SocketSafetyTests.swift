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

    func testAServerStartedInTheBackgroundOfAShellScriptStopsOnSIGTERM() throws {
        // Given a server started with `&` from a non-interactive shell script, as service wrappers
        // and test scripts do (its SIGTERM used to be swallowed: the server ran on after `kill`)
        let dir = TempDir()
        let script = """
            "$1" serve --socket "$2/wb.sock" --database "$2/db.sqlite" </dev/null >/dev/null 2>"$2/err" &
            pid=$!
            for _ in $(seq 200); do [ -S "$2/wb.sock" ] && break; sleep 0.05; done
            kill "$pid"
            for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || { wait "$pid"; echo "exit $?"; exit 0; }; sleep 0.05; done
            kill -9 "$pid"; echo "still running 5 s after SIGTERM"
            """
        // When the script sends SIGTERM
        let result = try Run.command("/bin/sh", ["-c", script, "sh", WorkbookBinary.path, dir.path])
        // Then the server finishes and exits 0, removing its socket
        XCTAssertEqual(String(decoding: result.stdout, as: UTF8.self), "exit 0\n",
                       (try? String(contentsOfFile: dir.file("err"), encoding: .utf8)) ?? "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("wb.sock")))
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

    func testSIGTERMMidBurstFinishesInFlightSavesRefusesTheRestRemovesTheSocketAndExitsZero() throws {
        try signalMidBurstOfSaves(SIGTERM)
    }

    func testSIGINTMidBurstFinishesInFlightSavesRefusesTheRestRemovesTheSocketAndExitsZero() throws {
        try signalMidBurstOfSaves(SIGINT)
    }

    /// Pipelines 1000 answers.save (blocking work, 1 KiB each so they span many reads), signals the
    /// server after the 10th reply, and checks: one reply per request in order (successes, then
    /// only -32002) until the connection ends (what the server never read gets nothing), exit 0,
    /// the socket removed, and after a restart the database holds exactly the acknowledged saves.
    private func signalMidBurstOfSaves(_ sig: Int32, file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let socket = try RawSocket(path: server.socketPath)
        let prompt = "what-is-solidarity.better-future", pad = String(repeating: "p", count: 1000)
        var burst: [UInt8] = []
        for n in 1...1000 {
            burst += Frames.ndjson(Array(#"{"jsonrpc":"2.0","id":\#(n),"method":"answers.save","params":{"promptId":"\#(prompt)","text":"burst \#(n)"},"pad":"\#(pad)"}"#.utf8))
        }
        let fd = socket.fd, bytes = burst
        let written = DispatchSemaphore(value: 0)
        Thread {
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }  // the server closed: the rest was never received
                offset += n
            }
            written.signal()
        }.start()
        var saved: [String] = [], refused = 0
        while let body = socket.readMessage(headers: false) {
            let id = saved.count + refused + 1
            let reply = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], file: file, line: line)
            XCTAssertEqual(reply["id"] as? Int, id, "replies come one per request, in order", file: file, line: line)
            if reply["result"] != nil {
                XCTAssertEqual(refused, 0, "no save runs after one was refused", file: file, line: line)
                saved.append("burst \(id)")
            } else {
                XCTAssertEqual((reply["error"] as? [String: Any])?["code"] as? Int, -32002, "\(reply)", file: file, line: line)
                refused += 1
            }
            if id == 10 { kill(server.process.processIdentifier, sig) }
        }
        XCTAssertGreaterThanOrEqual(saved.count, 10, file: file, line: line)
        // The writer is far ahead of the server (reads are held at a small queue), so requests keep
        // arriving while the in-flight saves finish: those must be answered, not dropped.
        XCTAssertGreaterThan(refused, 0, "requests that arrive during shutdown get -32002", file: file, line: line)
        XCTAssertEqual(written.wait(timeout: .now() + 30), .success, file: file, line: line)
        XCTAssertEqual(server.stop(), 0, file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: server.socketPath), file: file, line: line)
        // After a restart, exactly the acknowledged saves are there
        let again = try SocketServer(dir: dir)
        let check = try RawSocket(path: again.socketPath)
        check.send(Frames.ndjson(Array(#"{"jsonrpc":"2.0","id":1,"method":"answers.history","params":{"promptId":"\#(prompt)"}}"#.utf8)))
        let history = try XCTUnwrap(check.readMessage(headers: false), file: file, line: line)
        let revisions = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(history)) as? [String: Any])?["result"] as? [[String: Any]],
                                      file: file, line: line)
        XCTAssertEqual(revisions.compactMap { $0["text"] as? String }, saved, file: file, line: line)
        XCTAssertEqual(again.stop(), 0, file: file, line: line)
    }

    func testConnectionOverTheLimitGetsBusyInItsOwnFramingAndIsClosed() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir, extra: ["--max-connections", "2"])
        let a = try RawSocket(path: server.socketPath), b = try RawSocket(path: server.socketPath)
        for s in [a, b] { s.send(Frames.ndjson(ping)); XCTAssertNotNil(s.readMessage(headers: false)) }
        // Given two connections open, When an NDJSON client connects and sends, Then -32002 as NDJSON
        let c = try RawSocket(path: server.socketPath)
        c.send(Frames.ndjson(ping))
        let reply = c.readToEnd()
        XCTAssertEqual(Frames.splitNDJSON(reply).count, 1, String(decoding: reply, as: UTF8.self))
        XCTAssertTrue(JSONMatch.matches(actual: Frames.splitNDJSON(reply).first ?? [], expected: #"{"jsonrpc":"2.0","id":null,"error":{"code":-32002}}"#),
                      String(decoding: reply, as: UTF8.self))
        // When a Content-Length client does the same, Then it gets exactly one header-framed -32002
        let d = try RawSocket(path: server.socketPath)
        d.send(Frames.header(ping))
        let framed = try XCTUnwrap(Frames.splitHeaders(d.readToEnd()))
        XCTAssertEqual(framed.count, 1)
        XCTAssertTrue(JSONMatch.matches(actual: framed.first ?? [], expected: #"{"jsonrpc":"2.0","id":null,"error":{"code":-32002}}"#))
        // When a client sends nothing and half-closes, Then NDJSON
        let e = try RawSocket(path: server.socketPath)
        e.shutdownWrite()
        XCTAssertTrue(JSONMatch.matches(actual: Frames.splitNDJSON(e.readToEnd()).first ?? [], expected: #"{"jsonrpc":"2.0","id":null,"error":{"code":-32002}}"#))
        XCTAssertEqual(server.stop(), 0)
    }

    func testALooseDefaultSocketDirectoryIsMadePrivate() throws {
        // Given $XDG_RUNTIME_DIR/workbook existing with mode 0755
        let dir = TempDir()
        let own = dir.file("workbook")
        try FileManager.default.createDirectory(atPath: own, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        chmod(own, 0o755)
        // When the server serves the default socket
        let server = try SocketServer(dir: dir, socket: "", environment: ["XDG_RUNTIME_DIR": dir.path, "WORKBOOK_SOCKET": ""])
        // Then the directory is 0700 again, and the log says so
        XCTAssertEqual(mode(own), 0o700)
        XCTAssertTrue(server.stderr.contains("\(own) was mode 0755; set it to 0700"), server.stderr)
        XCTAssertEqual(server.stop(), 0)
    }

    func testASocketDirectoryOwnedByAnotherUserIsRefused() throws {
        guard getuid() == 0 else {
            if WorkbookBinary.isCI { XCTFail("CI runs as root") }
            throw XCTSkip("needs root to give a directory to another user")
        }
        // Given the default socket directory owned by uid 65534
        let dir = TempDir()
        let own = dir.file("workbook")
        try FileManager.default.createDirectory(atPath: own, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        XCTAssertEqual(chown(own, 65534, 65534), 0)
        // When the server is started on it, Then it exits non-zero with a clear message and the
        // directory is untouched
        let result = try Run.workbook(["serve", "--database", dir.file("db.sqlite")],
                                      environment: ["XDG_RUNTIME_DIR": dir.path, "WORKBOOK_SOCKET": ""])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("\(own) belongs to another user (uid 65534); refusing to serve there"), result.stderr)
        XCTAssertEqual(mode(own), 0o700)
        XCTAssertFalse(FileManager.default.fileExists(atPath: own + "/workbook.sock"))
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
