import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue #6, area 5: 64 connections at once, each pipelining a mix of saves and reads for a bounded
/// time. Every request gets exactly one reply, in order, with the right content (each connection
/// reads back its own saves); peak RSS stays bounded; afterwards the database holds exactly the
/// acknowledged saves. `WORKBOOK_LOAD_SECONDS` (default 4; scripts/load.sh: 60) and
/// `WORKBOOK_LOAD_CONNECTIONS` (default 64) set the size.
final class LoadTests: XCTestCase {
    private final class Tally: @unchecked Sendable {
        let lock = NSLock()
        var requests = 0, saves = 0, failures: [String] = []
        var acknowledged: [String: [Int: String]] = [:]  // "passId promptId" → revision → text
        func add(_ requests: Int, _ saves: [(String, Int, String)], _ failures: [String]) {
            lock.lock(); defer { lock.unlock() }
            self.requests += requests
            self.saves += saves.count
            self.failures += failures
            for (key, revision, text) in saves { acknowledged[key, default: [:]][revision] = text }
        }
    }

    func testSixtyFourConnectionsMixingReadsAndSaves() throws {
        ignoreSIGPIPE()
        let seconds = Double(Knob.int("WORKBOOK_LOAD_SECONDS", 4))
        let connections = Knob.int("WORKBOOK_LOAD_CONNECTIONS", 64)
        let seed = Knob.seed
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let tally = Tally()
        let deadline = Date().addingTimeInterval(seconds)
        let group = DispatchGroup()
        let path = server.socketPath
        for n in 0..<connections {
            group.enter()
            Thread {
                defer { group.leave() }
                let (count, saves, failures) = Self.client(n, path: path, seed: seed &+ UInt64(n), until: deadline)
                tally.add(count, saves, failures)
            }.start()
        }
        group.wait()
        let peak = peakRSSKiB(pid: server.process.processIdentifier) ?? -1
        XCTAssertTrue(server.process.isRunning)
        XCTAssertEqual(tally.failures, [], tally.failures.prefix(5).joined(separator: "\n"))
        XCTAssertGreaterThan(tally.saves, connections, "the load did not get going")
        XCTAssertLessThan(peak, 512 * 1024, "peak RSS \(peak) KiB")
        XCTAssertEqual(server.stop(), 0)
        // The database holds exactly what was acknowledged: no more, no less.
        let stored = try DatabaseFile.revisions(server.databasePath)
        XCTAssertEqual(stored.count, tally.acknowledged.count)
        var mismatched = 0
        for (key, revisions) in tally.acknowledged where stored[key] != revisions { mismatched += 1 }
        XCTAssertEqual(mismatched, 0, "pass/prompt pairs whose revisions differ from the acknowledged saves")
        XCTAssertEqual(try DatabaseFile.integrity(server.databasePath), ["ok"])
        report("load: seed=\(seed) connections=\(connections) seconds=\(Int(seconds)) requests=\(tally.requests) saves=\(tally.saves) replies-missing=0 peak-rss=\(peak / 1024)MiB lost=0")
    }

    /// One connection: its own pass, then a pipelined mix (window 4) until `deadline`. Returns the
    /// number of requests, the acknowledged saves and what went wrong.
    private static func client(_ n: Int, path: String, seed: UInt64, until deadline: Date)
        -> (Int, [(String, Int, String)], [String]) {
        var rng = SeededRandom(seed: seed)
        var failures: [String] = []
        var saves: [(String, Int, String)] = []
        guard let c = try? Conversation(path: path, headers: n % 2 == 1) else { return (0, [], ["connection \(n) refused"]) }
        _ = c.call("initialize", #"{"clientInfo":{"name":"load-\#(n)"}}"#)
        guard let pass = (c.call("passes.start", #"{"workbookId":"solidarity","title":"load \#(n)"}"#)?["result"] as? JSONObject)?["id"] as? String
        else { return (0, [], ["connection \(n): passes.start failed"]) }
        // What this connection expects back, by request id, in order.
        enum Expect { case save(String, String), get(String, String?), any }
        var pending: [(Int, Expect)] = []
        var latest: [String: String] = [:]   // prompt → last text this connection saved (in send order)
        var nextID = 100, requests = 2
        func send() {
            let prompt = defaultPrompts.randomElement(using: &rng)!
            let id = nextID
            nextID += 1
            let body: [UInt8]
            let expect: Expect
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<4:
                let text = "c\(n)-\(id) " + awkwardText("load", using: &rng)
                latest[prompt] = text
                body = request(id, "answers.save", #"{"promptId":"\#(prompt)","passId":"\#(pass)","text":\#(jsonString(text))}"#)
                expect = .save(prompt, text)
            case 4..<6:
                body = request(id, "answers.get", #"{"promptId":"\#(prompt)","passId":"\#(pass)"}"#)
                expect = .get(prompt, latest[prompt])
            case 6: body = request(id, "progress.get", #"{"passId":"\#(pass)"}"#); expect = .any
            case 7: body = request(id, "answers.history", #"{"promptId":"\#(prompt)","passId":"\#(pass)"}"#); expect = .any
            case 8: body = request(id, "search", #"{"query":"load","limit":5}"#); expect = .any
            default: body = request(id, "server.ping"); expect = .any
            }
            c.socket.send(c.headers ? Frames.header(body) : Frames.ndjson(body))
            pending.append((id, expect))
            requests += 1
        }
        while Date() < deadline || !pending.isEmpty {
            while Date() < deadline, pending.count < 4 { send() }
            guard let body = c.socket.readMessage(headers: c.headers), let reply = object(body) else {
                failures.append("connection \(n): closed with \(pending.count) requests unanswered")
                break
            }
            let (id, expect) = pending.removeFirst()
            guard reply["id"] as? Int == id else {
                failures.append("connection \(n): expected the reply to \(id), got \(String(decoding: body, as: UTF8.self).prefix(200))")
                break
            }
            guard let result = reply["result"] else {
                failures.append("connection \(n): request \(id) failed: \(String(decoding: body, as: UTF8.self).prefix(300))")
                continue
            }
            switch expect {
            case let .save(prompt, text):
                let answer = (result as? JSONObject)?["answer"] as? JSONObject
                guard let revision = (result as? JSONObject)?["revision"] as? Int, answer?["text"] as? String == text else {
                    failures.append("connection \(n): save \(id) returned \(result)")
                    continue
                }
                saves.append(("\(pass) \(prompt)", revision, text))
            case let .get(_, text):
                let got = (result as? JSONObject)?["text"] as? String
                if got != text { failures.append("connection \(n): get \(id) read \(got ?? "nil"), expected its own last save \(text ?? "nil")") }
            case .any: break
            }
        }
        return (requests, saves, failures)
    }
}
