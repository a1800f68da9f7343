import Foundation
import TestSupport
import XCTest

/// Live updates across clients: subscriptions, catch-up, several processes, idle CPU, slow readers.
final class SubscriptionTests: XCTestCase {
    private func request(_ id: Int, _ method: String, _ params: String) -> [UInt8] { LiveRPC.request(id, method, params) }

    private func save(_ id: Int, prompt: String = "what-is-solidarity.better-future", text: String) -> [UInt8] {
        request(id, "answers.save", #"{"promptId":"\#(prompt)","text":"\#(text)"}"#)
    }

    /// Reads messages until `predicate` holds for one of them; returns all read. Fails the test when
    /// none does within 20 s (or the server closes), instead of hanging.
    private func read(_ socket: RawSocket, file: StaticString = #filePath, line: UInt = #line,
                      until predicate: ([String: Any]) -> Bool) -> [[String: Any]] {
        let read = socket.messages(within: 20, until: predicate)
        if !read.matched { XCTFail("the awaited message did not arrive; got \(read.messages.suffix(3))", file: file, line: line) }
        return read.messages
    }

    private func subscribe(_ socket: RawSocket, since: Int? = nil) -> (id: String, cursor: Int) {
        socket.send(request(1, "subscribe", since.map { #"{"since":\#($0)}"# } ?? "{}"))
        let reply = read(socket) { $0["id"] as? Int == 1 }.last
        let result = reply?["result"] as? [String: Any]
        return (result?["subscriptionId"] as? String ?? "", result?["cursor"] as? Int ?? -1)
    }

    private func cursors(_ messages: [[String: Any]]) -> [Int] { LiveRPC.cursors(messages) }

    func testASubscriberSeesExactlyTheHundredSavesOfAnotherConnectionInOrder() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let a = try RawSocket(path: server.socketPath), b = try RawSocket(path: server.socketPath)
        // Given A subscribed (no catch-up) and B creating its pass first
        b.send(request(1, "passes.start", #"{"workbookId":"solidarity"}"#))
        _ = read(b) { $0["id"] as? Int == 1 }
        let (subscription, head) = subscribe(a)
        XCTAssertFalse(subscription.isEmpty)
        // When B saves 100 answers
        var burst: [UInt8] = []
        for n in 0..<100 { burst += save(100 + n, text: "answer \(n)") }
        b.send(burst)
        _ = read(b) { $0["id"] as? Int == 199 }
        // Then A receives exactly 100 changes, in cursor order, none repeated
        let received = read(a) { LiveRPC.cursors([$0]) == [head + 100] }
        let got = cursors(received)
        XCTAssertEqual(got, Array((head + 1)...(head + 100)))
        let first = (received.first?["params"] as? [String: Any])
        XCTAssertEqual(first?["subscriptionId"] as? String, subscription)
        let change = first?["change"] as? [String: Any]
        XCTAssertEqual(change?["type"] as? String, "answer.saved")
        XCTAssertNil(change?["text"], "changes never carry answer text")
        XCTAssertEqual(server.stop(), 0)
    }

    func testCatchUpFromAnOldCursorWhileAnotherClientKeepsWritingHasNoGapAndNoDuplicate() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let writer = try RawSocket(path: server.socketPath), reader = try RawSocket(path: server.socketPath)
        // Given 50 changes already in the log
        var burst: [UInt8] = []
        for n in 0..<50 { burst += save(n + 1, text: "before \(n)") }
        writer.send(burst)
        _ = read(writer) { $0["id"] as? Int == 50 }
        // When the writer keeps writing while the reader subscribes from cursor 10
        var more: [UInt8] = []
        for n in 0..<50 { more += save(n + 100, text: "during \(n)") }
        writer.send(more)
        let (_, head) = subscribe(reader, since: 10)
        _ = read(writer) { $0["id"] as? Int == 149 }
        // Then the reader gets every change after 10, exactly once, in order
        XCTAssertGreaterThanOrEqual(head, 51)
        let received = read(reader) { (LiveRPC.cursors([$0]).first ?? 0) >= 101 }
        XCTAssertEqual(cursors(received), Array(11...101))
        XCTAssertEqual(server.stop(), 0)
    }

    func testSinceBeyondTheHeadAndUnknownUnsubscribeAreInvalidParams() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let socket = try RawSocket(path: server.socketPath)
        socket.send(request(1, "subscribe", #"{"since":999}"#))
        XCTAssertEqual(((read(socket) { $0["id"] != nil }.last?["error"]) as? [String: Any])?["code"] as? Int, -32602)
        socket.send(request(2, "unsubscribe", #"{"subscriptionId":"nope"}"#))
        XCTAssertEqual(((read(socket) { $0["id"] != nil }.last?["error"]) as? [String: Any])?["code"] as? Int, -32602)
        // And unsubscribe stops notifications
        let (id, _) = subscribe(socket)
        socket.send(request(3, "unsubscribe", #"{"subscriptionId":"\#(id)"}"#))
        _ = read(socket) { $0["id"] as? Int == 3 }
        socket.send(save(4, text: "after unsubscribe"))
        let after = read(socket) { $0["id"] as? Int == 4 }
        XCTAssertEqual(cursors(after), [], "no notification after unsubscribe")
        XCTAssertEqual(server.stop(), 0)
    }

    func testASaveInAnotherServerProcessOnTheSameFileReachesTheSubscriber() throws {
        let dir = TempDir()
        let first = try SocketServer(dir: dir, socket: dir.file("run/a.sock"))
        let subscriber = try RawSocket(path: first.socketPath)
        let (_, head) = subscribe(subscriber)
        // When a one-shot CLI process (a different process) saves on the same database file
        let result = try Run.workbook(["call", "answers.save", #"{"promptId":"what-is-solidarity.better-future","text":"from elsewhere"}"#,
                                       "--database", first.databasePath])
        XCTAssertEqual(result.status, 0, result.stderr)
        // Then the subscriber of the server process hears about it (pass.started and answer.saved)
        let received = read(subscriber) { LiveRPC.cursors([$0]) == [head + 2] }
        XCTAssertEqual(cursors(received), [head + 1, head + 2])
        XCTAssertEqual(first.stop(), 0)
    }

    func testAnIdleServerWithSubscribersUsesAlmostNoCPU() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let sockets = try (0..<4).map { _ in try RawSocket(path: server.socketPath) }
        for s in sockets { _ = subscribe(s) }
        let before = try cpuTicks(server.process.processIdentifier)
        // Block on a read with a timeout: nothing arrives, so this measures 3 s of idleness.
        let quiet = try RawSocket(path: server.socketPath)
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(quiet.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        XCTAssertNil(quiet.readMessage(headers: false))
        let after = try cpuTicks(server.process.processIdentifier)
        // 3 s is 300 ticks at 100 Hz; an idle server should use at most a handful.
        XCTAssertLessThanOrEqual(after - before, 5, "CPU ticks used while idle: \(after - before)")
        XCTAssertEqual(server.stop(), 0)
    }

    func testASubscriberThatStopsReadingIsDroppedAndMemoryStaysBounded() throws {
        // Given a queue cap of 50 and a subscriber that never reads
        let dir = TempDir()
        let server = try SocketServer(dir: dir, extra: ["--max-subscriber-queue", "50"])
        let lazy = try RawSocket(path: server.socketPath)
        var small: Int32 = 4096
        setsockopt(lazy.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        let (id, head) = subscribe(lazy)
        let writer = try RawSocket(path: server.socketPath)
        let rssBefore = try rssKB(server.process.processIdentifier)
        // When 20 001 changes happen (a pass and 40 x 500 saves): queued without a cap, their
        // notifications would hold about 24 MB (measured), twice the bound below
        for round in 0..<40 {
            let items = (0..<500).map { #"{"promptId":"solidarity-means","text":"r\#(round) n\#($0)"}"# }
            writer.send(request(round + 10, "answers.saveMany", #"{"items":[\#(items.joined(separator: ","))]}"#))
            _ = read(writer) { $0["id"] as? Int == round + 10 }
        }
        let rssAfter = try rssKB(server.process.processIdentifier)
        // Then it was dropped with a final notice after what was queued, at its last delivered cursor
        let all = lazy.messages(within: 20) { $0["method"] as? String == "workbook.subscriptionDropped" }
        XCTAssertTrue(all.matched, "no workbook.subscriptionDropped; last messages: \(all.messages.suffix(2))")
        let params = all.messages.last?["params"] as? [String: Any]
        let delivered = cursors(all.messages)
        XCTAssertEqual(params?["subscriptionId"] as? String, id)
        XCTAssertEqual(params?["reason"] as? String, "queueFull")
        XCTAssertEqual(params?["cursor"] as? Int, delivered.last ?? head)
        XCTAssertEqual(delivered, Array((head + 1)..<(head + 1 + delivered.count)), "no gap before the drop")
        XCTAssertLessThan(delivered.count, 5_000)
        XCTAssertLessThan(rssAfter - rssBefore, 12_000, "RSS grew by \(rssAfter - rssBefore) kB")
        // And other clients are unaffected
        writer.send(Frames.ndjson(Array(#"{"jsonrpc":"2.0","id":"p","method":"server.ping"}"#.utf8)))
        XCTAssertFalse(read(writer) { $0["id"] as? String == "p" }.isEmpty)
        XCTAssertEqual(server.stop(), 0)
    }

    private func procStat(_ pid: Int32) throws -> [Substring] {
        let text = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // Fields after the command name (which may hold spaces) start after the last ')'.
        return text[text.index(after: text.lastIndex(of: ")")!)...].split(separator: " ")
    }

    /// utime + stime in clock ticks.
    private func cpuTicks(_ pid: Int32) throws -> Int {
        let f = try procStat(pid)
        return Int(f[11])! + Int(f[12])!
    }

    private func rssKB(_ pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
}

/// Notifications on stdio, in the Content-Length framing an editor uses.
final class StdioSubscriptionTests: XCTestCase {
    func testNotificationsArriveOverStdioInHeaderFraming() throws {
        let dir = TempDir()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: WorkbookBinary.path)
        process.arguments = ["serve", "--stdio", "--database", dir.file("db.sqlite")]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        func send(_ json: String) { input.fileHandleForWriting.write(Data(Frames.header(Array(json.utf8)))) }
        send(#"{"jsonrpc":"2.0","id":1,"method":"subscribe","params":{}}"#)
        send(#"{"jsonrpc":"2.0","id":2,"method":"answers.save","params":{"promptId":"solidarity-means","text":"over stdio"}}"#)
        // Read frames (on a thread) until the save's answer.saved notification arrives, at most 20 s.
        let frames = HeaderFrameCollector()
        Thread { frames.collect(from: output.fileHandleForReading) }.start()
        let saved = frames.saved.wait(timeout: .now() + 20) == .success
        if !saved { process.terminate() }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let messages = frames.messages
        XCTAssertTrue(saved, "no answer.saved notification within 20 s: \(messages)")
        XCTAssertEqual(messages.first?["id"] as? Int, 1, "the subscribe reply comes before any notification")
        XCTAssertEqual(process.terminationStatus, 0)
    }
}

/// Collects header-framed messages from a pipe on its own thread; signals on the first answer.saved.
private final class HeaderFrameCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [[String: Any]] = []
    /// Signalled once a `workbook.changed` with an `answer.saved` change has arrived.
    let saved = DispatchSemaphore(value: 0)

    /// Everything read so far.
    var messages: [[String: Any]] { lock.lock(); defer { lock.unlock() }; return collected }

    /// Reads until EOF.
    func collect(from handle: FileHandle) {
        var buffer: [UInt8] = []
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { return }
            buffer += chunk
            while let frame = Frames.splitHeadersPrefix(buffer) {
                buffer.removeFirst(frame.consumed)
                guard let m = JSONMatch.parse(frame.body) as? [String: Any] else { continue }
                lock.lock()
                collected.append(m)
                lock.unlock()
                if LiveRPC.change(m)?["type"] as? String == "answer.saved" { saved.signal() }
            }
        }
    }
}
