import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue #6, area 1: saves (one in four an `answers.saveMany` of 2–5 answers) pipelined as fast as
/// the socket takes them while the server is killed
/// with SIGKILL at random moments. After every restart each acknowledged save is there with its
/// exact text, each prompt's revisions run 1...n without a gap, and `integrity_check` is ok.
/// `WORKBOOK_CRASH_KILLS` (default 4; scripts/crash-loop.sh: 25) sets the number of kills.
final class CrashDurabilityTests: XCTestCase {
    /// Requests kept in flight on the connection: the kill always lands mid-stream.
    private let window = 16

    func testAcknowledgedSavesSurviveSIGKILL() throws {
        ignoreSIGPIPE()
        let kills = Knob.int("WORKBOOK_CRASH_KILLS", 4)
        let seed = Knob.seed
        var rng = SeededRandom(seed: seed)
        let dir = TempDir()
        // promptId → revision → text as UTF-8 bytes, for every save the server acknowledged (bytes, not
        // Strings: Swift compares Unicode-equivalent Strings equal, and the text must come back exactly).
        var acknowledged: [String: [Int: [UInt8]]] = [:]
        var sent = Set<[UInt8]>()
        var totalAcked = 0, totalSent = 0
        for round in 0..<kills {
            // Given a server (restarted after the previous kill) that still holds every acknowledged save
            let server = try SocketServer(dir: dir)
            try verify(server, acknowledged: acknowledged, sent: sent, round: round)
            // When a client pipelines saves and the server is killed after a random number of replies
            let target = Int.random(in: 10...300, using: &rng)
            let socket = try RawSocket(path: server.socketPath)
            // Each request in flight: its saves, one for answers.save, 2–5 for an answers.saveMany.
            var inFlight: [Int: [(prompt: String, text: String)]] = [:]
            var nextID = 0, acked = 0
            while acked < target {
                while inFlight.count < window {
                    let many = Int.random(in: 0..<4, using: &rng) == 0
                    let saves = (0..<(many ? Int.random(in: 2...5, using: &rng) : 1)).map { item in
                        (prompt: defaultPrompts.randomElement(using: &rng)!,
                         text: awkwardText("r\(round)-s\(nextID)-i\(item)", using: &rng))
                    }
                    inFlight[nextID] = saves
                    for save in saves { sent.insert(Array(save.text.utf8)) }
                    let items = saves.map { #"{"promptId":\#(jsonString($0.prompt)),"text":\#(jsonString($0.text))}"# }
                    socket.send(Frames.ndjson(many ? request(nextID, "answers.saveMany", #"{"items":[\#(items.joined(separator: ","))]}"#)
                                                   : request(nextID, "answers.save", items[0])))
                    nextID += 1
                    totalSent += saves.count
                }
                let body = try XCTUnwrap(socket.readMessage(headers: false), "server went away before the kill")
                let reply = try XCTUnwrap(object(body))
                let id = try XCTUnwrap(reply["id"] as? Int)
                let saves = try XCTUnwrap(inFlight.removeValue(forKey: id))
                let result = try XCTUnwrap(reply["result"] as? JSONObject, "save failed: \(reply)")
                let revisions = try XCTUnwrap((result["answers"] as? [JSONObject]).map { $0.compactMap { $0["revision"] as? Int } }
                                                ?? (result["revision"] as? Int).map { [$0] })
                XCTAssertEqual(revisions.count, saves.count, "\(reply)")
                for (save, revision) in zip(saves, revisions) {
                    XCTAssertNil(acknowledged[save.prompt]?[revision], "revision \(revision) of \(save.prompt) acknowledged twice")
                    acknowledged[save.prompt, default: [:]][revision] = Array(save.text.utf8)
                    totalAcked += 1
                }
                acked += 1
            }
            server.stop(signal: SIGKILL)
        }
        // Then after the last kill, a restart still holds everything
        let server = try SocketServer(dir: dir)
        try verify(server, acknowledged: acknowledged, sent: sent, round: kills)
        XCTAssertEqual(server.stop(), 0)
        report("crash: seed=\(seed) kills=\(kills) sent=\(totalSent) acknowledged=\(totalAcked) lost=0 integrity=ok")
    }

    /// Checks the restarted server's answers against what was acknowledged.
    private func verify(_ server: SocketServer, acknowledged: [String: [Int: [UInt8]]], sent: Set<[UInt8]>,
                        round: Int) throws {
        XCTAssertEqual(try DatabaseFile.integrity(server.databasePath), ["ok"], "after kill \(round)")
        let conversation = try Conversation(path: server.socketPath)
        var lost = 0
        for prompt in defaultPrompts {
            let reply = try XCTUnwrap(conversation.call("answers.history", #"{"promptId":\#(jsonString(prompt))}"#))
            let history = try XCTUnwrap(reply["result"] as? [JSONObject], "\(reply)")
            let numbers = history.compactMap { $0["revision"] as? Int }
            XCTAssertEqual(numbers, (0..<numbers.count).map { $0 + 1 },
                           "\(prompt): revisions have a gap after kill \(round)")
            var stored: [Int: [UInt8]] = [:]
            for revision in history { stored[revision["revision"] as! Int] = (revision["text"] as? String).map { Array($0.utf8) } }
            for (revision, text) in acknowledged[prompt] ?? [:] where stored[revision] != text {
                lost += 1
                XCTFail("\(prompt) revision \(revision) lost or changed after kill \(round)")
            }
            // A save cut off before its reply may or may not be there, but only as sent, never torn.
            for (revision, text) in stored where acknowledged[prompt]?[revision] == nil {
                XCTAssertTrue(sent.contains(text), "\(prompt) revision \(revision) holds text never sent")
            }
            let current = try XCTUnwrap(conversation.call("answers.get", #"{"promptId":\#(jsonString(prompt))}"#))
            if let last = numbers.last {
                let answer = try XCTUnwrap(current["result"] as? JSONObject)
                XCTAssertEqual(answer["revision"] as? Int, last)
                XCTAssertEqual((answer["text"] as? String).map { Array($0.utf8) }, stored[last])
            }
        }
        XCTAssertEqual(lost, 0)
        // The change log, paged through with `since` whatever its length, has one answer.saved per
        // revision and cursors without holes.
        var list: [JSONObject] = []
        var since = 0
        while true {
            let page = try XCTUnwrap(conversation.call("changes.list", #"{"since":\#(since),"limit":1000}"#)?["result"] as? JSONObject)
            let changes = try XCTUnwrap(page["changes"] as? [JSONObject])
            let cursor = try XCTUnwrap(page["cursor"] as? Int)
            if changes.isEmpty { XCTAssertEqual(cursor, since); break }
            XCTAssertGreaterThan(cursor, since, "the cursor only grows")
            list += changes
            since = cursor
        }
        let cursors = list.compactMap { $0["cursor"] as? Int }
        XCTAssertEqual(cursors, (0..<cursors.count).map { $0 + 1 }, "change cursors have a hole")
        let saved = list.filter { $0["type"] as? String == "answer.saved" }.count
        let revisions = try DatabaseFile.revisions(server.databasePath).values.reduce(0) { $0 + $1.count }
        XCTAssertEqual(saved, revisions, "one answer.saved change per revision")
        XCTAssertGreaterThanOrEqual(revisions, acknowledged.values.reduce(0) { $0 + $1.count })
    }
}
