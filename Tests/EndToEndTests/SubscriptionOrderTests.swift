import Foundation
import TestSupport
import XCTest

/// Subscriptions: unsubscribe ordering, skip and restore changes, paced catch-up.
final class SubscriptionOrderTests: XCTestCase {
    private let prompt = "what-is-solidarity.better-future"

    private func save(_ id: Int, _ text: String) -> [UInt8] {
        LiveRPC.request(id, "answers.save", #"{"promptId":"\#(prompt)","text":"\#(text)"}"#)
    }

    /// The result of request `id`, read from `socket` (failing the test when it does not come).
    private func result(_ socket: RawSocket, _ id: Int, file: StaticString = #filePath, line: UInt = #line) -> [String: Any]? {
        let read = socket.messages(within: 20) { $0["id"] as? Int == id }
        let result = read.messages.last?["result"] as? [String: Any]
        if !read.matched || result == nil { XCTFail("no result for request \(id): \(read.messages.suffix(2))", file: file, line: line) }
        return result
    }

    /// Saves 500 answers per round in one request each: `rounds * 500` changes after the pass's.
    private func fill(_ writer: RawSocket, rounds: Int) {
        for round in 0..<rounds {
            let items = (0..<500).map { #"{"promptId":"solidarity-means","text":"r\#(round) n\#($0)"}"# }
            writer.send(LiveRPC.request(round + 10, "answers.saveMany", #"{"items":[\#(items.joined(separator: ","))]}"#))
            _ = result(writer, round + 10)
        }
    }

    func testNoNotificationOfASubscriptionFollowsItsUnsubscribeReply() throws {
        // Given 2001 changes in the log and a connection with a sentinel subscription
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let client = try RawSocket(path: server.socketPath), writer = try RawSocket(path: server.socketPath)
        fill(writer, rounds: 4)
        client.send(LiveRPC.request(1, "subscribe"))
        let sentinel = try XCTUnwrap(result(client, 1)?["subscriptionId"] as? String)
        // When it subscribes from 0 and unsubscribes once the catch-up has begun, five times
        var closed: Set<String> = [], late: [[String: Any]] = [], seen: [Int] = []
        func check(_ messages: [[String: Any]]) {
            for m in messages {
                guard let params = m["params"] as? [String: Any], let id = params["subscriptionId"] as? String else { continue }
                if closed.contains(id) { late.append(m) }
                if id == sentinel, let cursor = LiveRPC.change(m)?["cursor"] as? Int { seen.append(cursor) }
            }
        }
        for round in 0..<5 {
            client.send(LiveRPC.request(20 + 2 * round, "subscribe", #"{"since":0}"#))
            let subscribed = client.messages(within: 20) { $0["id"] as? Int == 20 + 2 * round }
            check(subscribed.messages)
            let id = try XCTUnwrap((subscribed.messages.last?["result"] as? [String: Any])?["subscriptionId"] as? String)
            let started = client.messages(within: 20) { LiveRPC.cursors([$0]) == [1] }
            XCTAssertTrue(started.matched, "round \(round): the catch-up did not start")
            client.send(LiveRPC.request(21 + 2 * round, "unsubscribe", #"{"subscriptionId":"\#(id)"}"#))
            let reply = client.messages(within: 20) { $0["id"] as? Int == 21 + 2 * round }
            XCTAssertNotNil(reply.messages.last?["result"], "\(reply.messages.suffix(1))")
            check(reply.messages)
            closed.insert(id)
        }
        // Then, up to the sentinel's next change, nothing arrives for a subscription after its unsubscribe reply
        writer.send(save(2, "after"))
        let rest = client.messages(within: 30) { LiveRPC.cursors([$0]) == [2002] }
        XCTAssertTrue(rest.matched, "the sentinel did not get cursor 2002")
        check(rest.messages)
        XCTAssertEqual(late.count, 0, "notifications after the unsubscribe reply: \(late.prefix(2))")
        XCTAssertEqual(seen, [2002])
        XCTAssertEqual(server.stop(), 0)
    }

    func testSkipAndRestoreAppendTheirChangesAndReachSubscribers() throws {
        // Given a subscriber and two saved revisions (a pass, then cursors 2 and 3)
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let client = try RawSocket(path: server.socketPath), writer = try RawSocket(path: server.socketPath)
        client.send(LiveRPC.request(1, "subscribe"))
        let subscription = try XCTUnwrap(result(client, 1)?["subscriptionId"] as? String)
        writer.send(save(2, "first") + save(3, "second"))
        _ = result(writer, 3)
        // When the answer is skipped (revision 3), then revision 1 is restored (revision 4)
        writer.send(LiveRPC.request(4, "answers.skip", #"{"promptId":"\#(prompt)","reason":"later"}"#))
        XCTAssertEqual(result(writer, 4)?["revision"] as? Int, 3)
        writer.send(LiveRPC.request(5, "answers.restore", #"{"promptId":"\#(prompt)","revision":1,"expectedRevision":3}"#))
        XCTAssertEqual(result(writer, 5)?["revision"] as? Int, 4)
        // Then the subscriber gets answer.skipped and answer.restored, after the saves, as the log holds them
        let read = client.messages(within: 20) { LiveRPC.cursors([$0]) == [5] }
        XCTAssertTrue(read.matched, "\(read.messages)")
        let changes = read.messages.compactMap(LiveRPC.change)
        XCTAssertEqual(changes.map { $0["cursor"] as? Int }, [1, 2, 3, 4, 5])
        XCTAssertEqual(changes.map { $0["type"] as? String }, ["pass.started", "answer.saved", "answer.saved", "answer.skipped", "answer.restored"])
        XCTAssertEqual(changes.map { $0["revision"] as? Int }, [nil, 1, 2, 3, 4])
        XCTAssertEqual(changes.map { $0["status"] as? String }, [nil, "draft", "draft", "skipped", "draft"])
        XCTAssertEqual(Set(changes.map { $0["promptId"] as? String }), [nil, prompt])
        XCTAssertEqual(Set(read.messages.compactMap { ($0["params"] as? [String: Any])?["subscriptionId"] as? String }), [subscription])
        for change in changes.suffix(2) {
            XCTAssertEqual(Set(change.keys), ["cursor", "type", "workbookId", "passId", "promptId", "revision", "status", "at", "client"])
        }
        writer.send(LiveRPC.request(6, "changes.list", #"{"since":3}"#))
        let listed = try XCTUnwrap(result(writer, 6)?["changes"] as? [[String: Any]])
        XCTAssertEqual(listed.map { NSDictionary(dictionary: $0) }, changes.suffix(2).map { NSDictionary(dictionary: $0) })
        XCTAssertEqual(server.stop(), 0)
    }

    func testACatchUpFromZeroThatIsNotReadHoldsAboutAPageNotTheWholeLog() throws {
        // Given 20 001 changes in the log (a pass and 40 x 500 saves)
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let writer = try RawSocket(path: server.socketPath)
        fill(writer, rounds: 40)
        let rssBefore = try rssKB(server.process.processIdentifier)
        // When a client subscribes from 0 and does not read, and then another reads the whole catch-up
        let lazy = try RawSocket(path: server.socketPath)
        var small: Int32 = 4096
        setsockopt(lazy.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        lazy.send(LiveRPC.request(1, "subscribe", #"{"since":0}"#))
        XCTAssertEqual(result(lazy, 1)?["cursor"] as? Int, 20_001)
        let reader = try RawSocket(path: server.socketPath)
        reader.send(LiveRPC.request(1, "subscribe", #"{"since":0}"#))
        let all = reader.messages(within: 60) { LiveRPC.cursors([$0]) == [20_001] }
        XCTAssertEqual(LiveRPC.cursors(all.messages), Array(1...20_001))
        // Then the server holds about a page for the lazy one: unpaced, the whole log would be
        // queued for it, about 24 MB (measured), twice the bound
        let rssAfter = try rssKB(server.process.processIdentifier)
        XCTAssertLessThan(rssAfter - rssBefore, 12_000, "RSS grew by \(rssAfter - rssBefore) kB")
        // And once it reads, it still gets every change once, in order
        let late = lazy.messages(within: 60) { LiveRPC.cursors([$0]) == [20_001] }
        XCTAssertEqual(LiveRPC.cursors(late.messages), Array(1...20_001))
        XCTAssertEqual(server.stop(), 0)
    }

    private func rssKB(_ pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
}
