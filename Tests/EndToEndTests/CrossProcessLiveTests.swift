import Foundation
import TestSupport
import XCTest

/// Live updates between long-running server processes on one database file.
final class CrossProcessLiveTests: XCTestCase {
    private let prompt = "what-is-solidarity.better-future"

    private func subscribe(_ socket: RawSocket, id: Int = 1) throws -> (id: String, cursor: Int) {
        socket.send(LiveRPC.request(id, "subscribe"))
        let read = socket.messages(within: 10) { $0["id"] as? Int == id }
        let result = try XCTUnwrap(read.messages.last?["result"] as? [String: Any], "no subscribe reply: \(read.messages)")
        return (try XCTUnwrap(result["subscriptionId"] as? String), try XCTUnwrap(result["cursor"] as? Int))
    }

    func testEverySingleSaveThroughAnotherLongRunningServerReachesTheSubscriberWithinASecond() throws {
        // Given two long-running servers on one database file and a subscriber on the first
        let dir = TempDir()
        let a = try SocketServer(dir: dir, socket: dir.file("run/a.sock"))
        let b = try SocketServer(dir: dir, socket: dir.file("run/b.sock"), database: a.databasePath)
        let subscriber = try RawSocket(path: a.socketPath), writer = try RawSocket(path: b.socketPath)
        let (subscription, head) = try subscribe(subscriber)
        XCTAssertEqual(head, 0)
        // When B saves one answer at a time, each being the last write for a while
        // (round 1 also starts the pass: two changes in one commit)
        var expected = 0
        for round in 1...5 {
            writer.send(LiveRPC.request(100 + round, "answers.save", #"{"promptId":"\#(prompt)","text":"round \#(round)"}"#))
            let reply = writer.messages(within: 10) { $0["id"] as? Int == 100 + round }
            XCTAssertEqual((reply.messages.last?["result"] as? [String: Any])?["revision"] as? Int, round, "\(reply.messages)")
            let saved = Date()
            expected += round == 1 ? 2 : 1
            // Then the subscriber of A gets its answer.saved within a second, with nothing missing
            let read = subscriber.messages(within: 1) { LiveRPC.cursors([$0]) == [expected] }
            guard read.matched else {
                XCTFail("round \(round): no workbook.changed for cursor \(expected) within 1 s; got \(read.messages)")
                break
            }
            XCTAssertLessThanOrEqual(Date().timeIntervalSince(saved), 1.0)
            XCTAssertEqual(LiveRPC.cursors(read.messages), round == 1 ? [1, 2] : [expected])
            let last = try XCTUnwrap(read.messages.last?["params"] as? [String: Any])
            XCTAssertEqual(last["subscriptionId"] as? String, subscription)
            XCTAssertEqual((last["change"] as? [String: Any])?["type"] as? String, "answer.saved")
            XCTAssertEqual((last["change"] as? [String: Any])?["revision"] as? Int, round)
        }
        XCTAssertEqual(b.stop(), 0)
        XCTAssertEqual(a.stop(), 0)
    }

    /// `server.info.databaseId` over `socket`.
    private func databaseId(_ socket: RawSocket, id: Int) throws -> String {
        socket.send(LiveRPC.request(id, "server.info"))
        let read = socket.messages(within: 10) { $0["id"] as? Int == id }
        return try XCTUnwrap((read.messages.last?["result"] as? [String: Any])?["databaseId"] as? String, "\(read.messages)")
    }

    func testRestoringIntoTheServedDatabaseDropsItsSubscribersAndGivesAnotherDatabaseId() throws {
        // Given a served database backed up at cursor 2, then saved to once more (cursor 3), and a subscriber
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let client = try RawSocket(path: server.socketPath)
        let idBefore = try databaseId(client, id: 1)
        client.send(LiveRPC.request(2, "answers.save", #"{"promptId":"\#(prompt)","text":"in the backup"}"#))
        XCTAssertTrue(client.messages(within: 10) { $0["id"] as? Int == 2 }.matched)
        let backup = dir.file("backup.sqlite")
        let saved = try Run.workbook(["backup", backup, "--database", server.databasePath])
        XCTAssertEqual(saved.status, 0, saved.stderr)
        client.send(LiveRPC.request(3, "answers.save", #"{"promptId":"\#(prompt)","text":"after the backup"}"#))
        XCTAssertTrue(client.messages(within: 10) { $0["id"] as? Int == 3 }.matched)
        let subscriber = try RawSocket(path: server.socketPath)
        let (subscription, head) = try subscribe(subscriber)
        XCTAssertEqual(head, 3)
        // When another process restores the backup into the served file
        let restored = try Run.workbook(["restore", backup, "--database", server.databasePath])
        XCTAssertEqual(restored.status, 0, restored.stderr)
        // Then the subscriber is told the database was replaced (and gets no change of the restored log)
        let read = subscriber.messages(within: 5) { $0["method"] as? String == "workbook.subscriptionDropped" }
        XCTAssertTrue(read.matched, "no workbook.subscriptionDropped within 5 s: \(read.messages)")
        XCTAssertEqual(read.messages.count, 1, "\(read.messages)")
        let params = try XCTUnwrap(read.messages.last?["params"] as? [String: Any])
        XCTAssertEqual(params["subscriptionId"] as? String, subscription)
        XCTAssertEqual(params["reason"] as? String, "databaseReplaced")
        XCTAssertEqual(params["cursor"] as? Int, 0)
        // And server.info reports another databaseId, the subscription is gone, and resubscribing
        // from 0 replays the backup's log
        let idAfter = try databaseId(client, id: 4)
        XCTAssertNotEqual(idAfter, idBefore)
        XCTAssertNotNil(UUID(uuidString: idAfter))
        subscriber.send(LiveRPC.request(5, "unsubscribe", #"{"subscriptionId":"\#(subscription)"}"#))
        let gone = subscriber.messages(within: 10) { $0["id"] as? Int == 5 }
        XCTAssertEqual((gone.messages.last?["error"] as? [String: Any])?["code"] as? Int, -32602)
        subscriber.send(LiveRPC.request(6, "subscribe", #"{"since":0}"#))
        let replay = subscriber.messages(within: 10) { LiveRPC.cursors([$0]) == [2] }
        XCTAssertEqual((replay.messages.first?["result"] as? [String: Any])?["cursor"] as? Int, 2)
        XCTAssertEqual(replay.messages.compactMap { LiveRPC.change($0)?["type"] as? String }, ["pass.started", "answer.saved"])
        XCTAssertEqual(server.stop(), 0)
    }
}
