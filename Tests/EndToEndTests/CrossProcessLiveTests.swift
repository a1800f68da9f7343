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
}
