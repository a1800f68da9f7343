import Foundation
import TestSupport
import XCTest

/// `serve --http`: access control (token, cookie, Host, Origin), the page, and JSON-RPC over
/// WebSocket on the same dispatcher, limits and shutdown as the other transports.
final class WebTransportTests: XCTestCase {
    private func host(_ server: WebServer) -> String { "127.0.0.1:\(server.port)" }

    private func status(_ server: WebServer, _ path: String, host: String? = nil, _ headers: [String: String] = [:]) throws -> Int {
        try WebClient(port: server.port).request(path, host: host ?? self.host(server), headers: headers).status
    }

    private func connect(_ server: WebServer, _ headers: [String: String] = [:]) throws -> WebClient {
        let client = try WebClient(port: server.port)
        let response = client.request("/rpc?token=\(server.token)", host: host(server),
                                      headers: WebClient.upgradeHeaders.merging(headers) { $1 })
        XCTAssertEqual(response.status, 101)
        XCTAssertEqual(response.headers["sec-websocket-accept"], "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        return client
    }

    func testRefusesRequestsWithoutTokenOrFromForeignHostsAndOrigins() throws {
        let dir = TempDir()
        let server = try WebServer(dir: dir)
        let withToken = "/?token=\(server.token)"
        // Given no token, a wrong one, a foreign Origin or a foreign Host (DNS rebinding), Then refused
        XCTAssertEqual(try status(server, "/"), 401)
        XCTAssertEqual(try status(server, "/app.js"), 401)
        // (the last character changed, to "1" when it already is "0": the old "0" was the real token 1 time in 16)
        let wrong = String(server.token.dropLast()) + (server.token.hasSuffix("0") ? "1" : "0")
        XCTAssertEqual(try status(server, "/?token=\(wrong)"), 401)
        XCTAssertEqual(try status(server, withToken, ["Origin": "http://evil.example"]), 403)
        XCTAssertEqual(try status(server, withToken, ["Origin": "null"]), 403)
        XCTAssertEqual(try status(server, withToken, host: "evil.example:\(server.port)"), 403)
        XCTAssertEqual(try status(server, withToken, host: "127.0.0.1:1"), 403)
        XCTAssertEqual(try status(server, "/rpc", WebClient.upgradeHeaders), 401)
        XCTAssertEqual(try status(server, "/rpc?token=\(server.token)",
                                  WebClient.upgradeHeaders.merging(["Origin": "http://evil.example"]) { $1 }), 403)
        // Given the token, Then it is traded for a cookie and the URL loses it
        let traded = try WebClient(port: server.port).request(withToken, host: "localhost:\(server.port)",
                                                             headers: ["Origin": "http://localhost:\(server.port)"])
        XCTAssertEqual(traded.status, 303)
        XCTAssertEqual(traded.headers["location"], "/")
        XCTAssertEqual(traded.headers["set-cookie"],
                       "workbook_\(server.port)=\(server.token); HttpOnly; SameSite=Strict; Path=/")
        let cookie = ["Cookie": "other=1; workbook_\(server.port)=\(server.token)"]
        let page = try WebClient(port: server.port).request("/", host: "[::1]:\(server.port)", headers: cookie)
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.headers["content-type"], "text/html; charset=utf-8")
        XCTAssertTrue(page.headers["content-security-policy"]?.contains("frame-ancestors 'none'") ?? false)
        XCTAssertEqual(try status(server, "/no-such-file", cookie), 404)
        XCTAssertEqual(try status(server, "/rpc", cookie), 426)
        XCTAssertEqual(try WebClient(port: server.port).request("/", host: host(server), headers: cookie, method: "POST").status, 405)
        // The token appears once on stderr: in the ready URL
        XCTAssertEqual(server.stderrLines.filter { $0.contains(server.token) }.count, 1)
        XCTAssertEqual(server.stop(), 0)
    }

    func testTokenFileIsPrivateAndRemovedAtExit() throws {
        let dir = TempDir()
        let server = try WebServer(dir: dir)
        let path = server.runtimeDir + "/workbook/web-token"
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual(attributes[.posixPermissions] as? Int, 0o600)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), server.token + "\n")
        XCTAssertEqual(server.token.count, 64)
        XCTAssertEqual(server.stop(), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testNonLoopbackAddressNeedsAllowRemote() throws {
        let dir = TempDir()
        let refused = try Run.workbook(["serve", "--http", "0.0.0.0:0", "--database", dir.file("db.sqlite")])
        XCTAssertEqual(refused.status, 64)
        XCTAssertTrue(refused.stderr.contains("--allow-remote"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("db.sqlite")), "refused before opening anything")
        let bad = try Run.workbook(["serve", "--http", "::1:80", "--database", dir.file("db.sqlite")])
        XCTAssertEqual(bad.status, 64)
        // Given --allow-remote, Then it serves, warns on stderr before the ready line, and listens on every address
        let server = try WebServer(dir: dir, http: "0.0.0.0:0", extra: ["--allow-remote"])
        let warning = server.stderrLines.filter { $0.contains("warning") && $0.contains("--http binds 0.0.0.0") }
        XCTAssertEqual(warning.count, 1, "\(server.stderrLines)")
        XCTAssertTrue(warning.first?.contains("reachable from other machines") ?? false)
        XCTAssertEqual(listeningAddresses(port: server.port), ["00000000"])
        XCTAssertEqual(try status(server, "/?token=\(server.token)"), 303)
        XCTAssertEqual(server.stop(), 0)
    }

    func testBareHTTPFlagBindsLoopbackOnAFreePort() throws {
        let dir = TempDir()
        // Given `--http` without a value, Then the ready URL names 127.0.0.1 and a port the kernel chose
        let server = try WebServer(dir: dir, http: nil)
        XCTAssertNotEqual(server.port, 0)
        XCTAssertEqual(server.stderrLines.filter { $0.contains("web page ready at http://127.0.0.1:\(server.port)/?token=") }.count, 1)
        XCTAssertEqual(listeningAddresses(port: server.port), ["0100007F"])  // 127.0.0.1 only
        XCTAssertFalse(server.stderrLines.contains { $0.contains("warning") }, "\(server.stderrLines)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.file("db.sqlite")), "--database was not taken as the address")
        XCTAssertEqual(try status(server, "/?token=\(server.token)"), 303)
        XCTAssertEqual(server.stop(), 0)
    }

    func testAllowOriginTwiceAdmitsBothAndNoOther() throws {
        let dir = TempDir()
        let server = try WebServer(dir: dir, extra: ["--allow-origin", "http://localhost:5173",
                                                     "--allow-origin", "https://journal.example"])
        // Given two --allow-origin flags, Then pages from either origin open /rpc and are served
        for origin in ["http://localhost:5173", "https://journal.example"] {
            let client = try connect(server, ["Origin": origin])
            client.sendText(#"{"jsonrpc":"2.0","id":1,"method":"server.ping"}"#)
            XCTAssertEqual(client.readText(), #"{"jsonrpc":"2.0","id":1,"result":{}}"#, origin)
        }
        // And a third origin is still refused
        XCTAssertEqual(try status(server, "/rpc?token=\(server.token)",
                                  WebClient.upgradeHeaders.merging(["Origin": "https://other.example"]) { $1 }), 403)
        XCTAssertEqual(server.stop(), 0)
    }

    func testWebRootServesFilesFromTheDirectory() throws {
        let dir = TempDir()
        let root = dir.file("page")
        try FileManager.default.createDirectory(atPath: root + "/notes", withIntermediateDirectories: true)
        let index = "<!doctype html><title>My own front end</title>\n"
        try index.write(toFile: root + "/index.html", atomically: true, encoding: .utf8)
        try "hello from the web root\n".write(toFile: root + "/notes/hello.txt", atomically: true, encoding: .utf8)
        let server = try WebServer(dir: dir, extra: ["--web-root", root])
        let cookie = ["Cookie": "workbook_\(server.port)=\(server.token)"]
        // Given --web-root DIR, Then / and DIR's other files are served from DIR, the built-in page is not
        let page = try WebClient(port: server.port).request("/", host: host(server), headers: cookie)
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(String(decoding: page.body, as: UTF8.self), index)
        let note = try WebClient(port: server.port).request("/notes/hello.txt", host: host(server), headers: cookie)
        XCTAssertEqual(note.status, 200)
        XCTAssertEqual(note.headers["content-type"], "text/plain; charset=utf-8")
        XCTAssertEqual(String(decoding: note.body, as: UTF8.self), "hello from the web root\n")
        XCTAssertEqual(try status(server, "/app.js", cookie), 404)
        // Read on every request: an edit shows without a restart
        try "edited\n".write(toFile: root + "/notes/hello.txt", atomically: true, encoding: .utf8)
        let edited = try WebClient(port: server.port).request("/notes/hello.txt", host: host(server), headers: cookie)
        XCTAssertEqual(String(decoding: edited.body, as: UTF8.self), "edited\n")
        XCTAssertEqual(server.stop(), 0)
        // A directory without index.html is refused at start
        let empty = try Run.workbook(["serve", "--http", "127.0.0.1:0", "--web-root", dir.file("run"),
                                      "--database", dir.file("db.sqlite")])
        XCTAssertEqual(empty.status, 64)
        XCTAssertTrue(empty.stderr.contains("has no index.html"), empty.stderr)
    }

    /// The IPv4 addresses (hex, as in /proc/net/tcp) listening on `port`.
    private func listeningAddresses(port: Int) -> [String] {
        let table = (try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)) ?? ""
        let portHex = String(format: "%04X", port)
        return table.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 3, fields[3] == "0A" else { return nil }  // 0A: LISTEN
            let local = fields[1].split(separator: ":")
            return local.count == 2 && local[1] == portHex ? String(local[0]) : nil
        }
    }

    func testProtocolCasesOverWebSocket() throws {
        let dir = TempDir()
        let server = try WebServer(dir: dir)
        let client = try connect(server, ["Cookie": "x=y"])
        // Every case is followed by a sentinel ping: replies come in order, so a case that must stay
        // silent is proven silent when the sentinel's reply comes next.
        let sentinel = #"{"jsonrpc":"2.0","id":"sentinel","method":"server.ping"}"#
        for item in ProtocolCases.all {
            let isText = String(validating: item.request, as: UTF8.self) != nil
            client.sendFrame(item.request, opcode: isText ? 1 : 2)
            client.sendText(sentinel)
            var reply = client.readText()
            if let expected = item.reply {
                XCTAssertTrue(JSONMatch.matches(actual: Array((reply ?? "").utf8), expected: expected),
                              "\(item.name): \(reply ?? "nil")")
                reply = client.readText()
            }
            XCTAssertEqual(reply, #"{"jsonrpc":"2.0","id":"sentinel","result":{}}"#, item.name)
        }
        XCTAssertEqual(server.stop(), 0)
    }

    func testMessagesPastSixteenKiBAndPastTheLimit() throws {
        let dir = TempDir()
        let server = try WebServer(dir: dir, extra: ["--max-message-bytes", "100000"])
        let client = try connect(server)
        // NIOWebSocket's 16 KiB default is raised to the message limit
        let padded = #"{"jsonrpc":"2.0","id":1,"method":"server.ping","params":{}"# + String(repeating: " ", count: 50_000) + "}"
        client.sendText(padded)
        XCTAssertEqual(client.readText(), #"{"jsonrpc":"2.0","id":1,"result":{}}"#)
        // Past the limit: closed with 1009 (message too big) as soon as the frame header says so
        // (only the header is sent, so the close is not raced by a reset over unread bytes)
        client.send([0x81, 0xFF] + (0..<8).reversed().map { UInt8((100_001 >> ($0 * 8)) & 0xff) } + [1, 2, 3, 4])
        let close = client.readFrame()
        XCTAssertEqual(close?.opcode, 8)
        XCTAssertEqual(close.map { Int($0.payload[0]) << 8 | Int($0.payload[1]) }, 1009)
        XCTAssertEqual(server.stop(), 0)
    }

    func testNotificationsArriveAsTextFramesAndTheConnectionLimitHolds() throws {
        let dir = TempDir()
        let server = try WebServer(dir: dir, extra: ["--max-connections", "2"])
        let watcher = try connect(server)
        let writer = try connect(server)
        watcher.sendText(#"{"jsonrpc":"2.0","id":1,"method":"subscribe"}"#)
        XCTAssertTrue(watcher.readText()?.contains(#""subscriptionId""#) ?? false)
        writer.sendText(#"{"jsonrpc":"2.0","id":2,"method":"answers.save","params":{"promptId":"what-is-solidarity.better-future","text":"x"}}"#)
        XCTAssertTrue(writer.readText()?.contains(#""revision":1"#) ?? false)
        var seen: [String] = []
        while seen.count < 5, let text = watcher.readText() {
            seen.append(text)
            if text.contains("answer.saved") { break }
        }
        XCTAssertTrue(seen.last?.contains(#""type":"answer.saved""#) ?? false, "\(seen)")
        XCTAssertTrue(seen.allSatisfy { $0.hasPrefix(#"{"jsonrpc":"2.0","method":"workbook.changed""#) }, "\(seen)")
        // A third connection is over the limit: -32002, then closed
        let third = try connect(server)
        XCTAssertTrue(third.readText()?.contains(#""code":-32002"#) ?? false)
        XCTAssertNil(third.readText())
        XCTAssertEqual(server.stop(), 0)
    }

    func testShutdownSendsGoingAwayAndClientCloseIsAnswered() throws {
        let dir = TempDir()
        let server = try WebServer(dir: dir)
        let leaving = try connect(server)
        leaving.sendFrame([0x03, 0xE8], opcode: 8)  // close, 1000
        XCTAssertEqual(leaving.readFrame()?.payload, [0x03, 0xE8])
        let staying = try connect(server)
        staying.sendFrame(Array("hi".utf8), opcode: 9)  // ping
        XCTAssertEqual(staying.readFrame().map { [$0.opcode] + $0.payload }, [10] + Array("hi".utf8))
        kill(server.process.processIdentifier, SIGTERM)
        let close = staying.readFrame()
        XCTAssertEqual(close?.opcode, 8)
        XCTAssertEqual(close?.payload, [0x03, 0xE9])  // 1001 going away
        XCTAssertEqual(server.stop(), 0)
    }
}
