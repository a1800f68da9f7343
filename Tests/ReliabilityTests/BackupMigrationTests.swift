import Foundation
import GRDB
import TestSupport
import Workbook
import XCTest

/// Issue #6, area 7: `workbook backup` during saves yields consistent, complete copies; a database
/// made by each shipped schema version (Tests/Fixtures/schema-<migration>.sqlite) opens, migrates and
/// keeps every answer (Tests/Fixtures/schema-<migration>.expected.json).
final class BackupMigrationTests: XCTestCase {
    private final class Saves: @unchecked Sendable {
        let lock = NSLock()
        var acknowledged: [(prompt: String, revision: Int, text: String)] = []
        var stop = false
        var failure: String?
        func snapshot() -> [(prompt: String, revision: Int, text: String)] { lock.withLock { acknowledged } }
    }

    func testBackupWhileSavingIsConsistentAndComplete() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let saves = Saves()
        let path = server.socketPath
        let writer = Thread {
            guard let c = try? Conversation(path: path) else { saves.failure = "no connection"; return }
            var n = 0
            while !saves.lock.withLock({ saves.stop }) {
                let prompt = defaultPrompts[n % defaultPrompts.count]
                let text = "backup-\(n) ä🙂 \(String(repeating: "words ", count: n % 50))"
                guard let result = c.call("answers.save", #"{"promptId":"\#(prompt)","text":\#(jsonString(text))}"#)?["result"] as? JSONObject,
                      let revision = result["revision"] as? Int else { saves.failure = "save \(n) failed"; return }
                saves.lock.withLock { saves.acknowledged.append((prompt, revision, text)) }
                n += 1
            }
        }
        writer.start()
        var checked = 0
        for round in 0..<3 {
            // Wait for some saves to be acknowledged (reading the count, not sleeping for a reply)
            while saves.snapshot().count < 40 * (round + 1), saves.failure == nil { usleep(2000) }
            let before = saves.snapshot()
            let file = dir.file("backup-\(round).sqlite")
            let result = try Run.workbook(["backup", file, "--database", server.databasePath])
            XCTAssertEqual(result.status, 0, result.stderr)
            // Then the copy is one intact file holding at least everything acknowledged before it began
            XCTAssertFalse(FileManager.default.fileExists(atPath: file + "-wal"))
            XCTAssertEqual(try DatabaseFile.integrity(file), ["ok"])
            let copy = try DatabaseFile.open(file)
            let (mode, revisions) = try copy.read { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                 try Row.fetchAll(db, sql: "SELECT promptId, revision, text FROM revisions").map { ("\($0[0] as String) \($0[1] as Int)", Array(($0[2] as String).utf8)) })
            }
            try copy.close()
            XCTAssertEqual(mode, "delete")
            let stored = Dictionary(revisions, uniquingKeysWith: { a, _ in a })
            // Bytes, not Strings: Swift compares Unicode-equivalent Strings equal.
            for save in before where stored["\(save.prompt) \(save.revision)"] != Array(save.text.utf8) {
                XCTFail("backup \(round) misses \(save.prompt) revision \(save.revision)")
            }
            checked += before.count
        }
        saves.lock.withLock { saves.stop = true }
        while !writer.isFinished { usleep(1000) }
        XCTAssertNil(saves.failure)
        XCTAssertEqual(server.stop(), 0)
        // And the last backup restores into a fresh database a server can serve
        let restored = dir.file("restored/wb.sqlite")
        let r = try Run.workbook(["restore", dir.file("backup-2.sqlite"), "--database", restored])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try DatabaseFile.integrity(restored), ["ok"])
        report("backup: 3 backups during \(saves.snapshot().count) saves, \(checked) acknowledged saves checked in copies, integrity=ok")
    }

    /// A text's UTF-8 bytes (nil when it is not a string), so texts compare byte for byte.
    private func utf8(_ value: Any?) -> [UInt8]? { (value as? String).map { Array($0.utf8) } }

    /// Every migration the code registers, in order (read from a fresh database).
    private func migrations() throws -> [String] {
        let store = try WorkbookStore.inMemory()
        return try store.writer.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
    }

    func testEveryShippedSchemaVersionMigratesWithEveryAnswer() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
        let all = try migrations()
        XCTAssertFalse(all.isEmpty)
        var answers = 0
        for version in all {
            // Given the fixture made by this schema version (one must exist for every migration)
            let fixture = fixtures.appendingPathComponent("schema-\(version).sqlite").path
            let expectedFile = fixtures.appendingPathComponent("schema-\(version).expected.json").path
            guard FileManager.default.fileExists(atPath: fixture), let expectedData = FileManager.default.contents(atPath: expectedFile) else {
                XCTFail("no fixture for schema \(version): run Tests/Fixtures/make-fixture.sh with a build of that version")
                continue
            }
            let dir = TempDir()
            let db = dir.file("wb.sqlite")
            try FileManager.default.copyItem(atPath: fixture, toPath: db)
            // When the current server opens a copy
            let server = try SocketServer(dir: dir, database: db)
            let c = try Conversation(path: server.socketPath)
            // Then every migration is applied and every revision and current answer is there, exactly
            let applied = try DatabaseFile.open(db).read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
            XCTAssertEqual(applied, all)
            let expected = try XCTUnwrap(JSONSerialization.jsonObject(with: expectedData) as? [JSONObject])
            XCTAssertGreaterThan(expected.count, 3)
            for entry in expected {
                let prompt = entry["promptId"] as! String, pass = entry["passId"] as! String
                let history = try XCTUnwrap(c.call("answers.history", #"{"promptId":"\#(prompt)","passId":"\#(pass)"}"#)?["result"] as? [JSONObject])
                let want = entry["revisions"] as! [JSONObject]
                XCTAssertEqual(history.count, want.count, "\(version) \(prompt)")
                for (got, wanted) in zip(history, want) {
                    for key in ["revision", "status", "at", "client"] {
                        XCTAssertEqual("\(got[key] ?? "nil")", "\(wanted[key] ?? "nil")", "\(version) \(prompt) \(key)")
                    }
                    XCTAssertEqual(utf8(got["text"]), utf8(wanted["text"]), "\(version) \(prompt) text, byte for byte")
                }
                let current = c.call("answers.get", #"{"promptId":"\#(prompt)","passId":"\#(pass)"}"#)?["result"] as? JSONObject
                XCTAssertEqual(utf8(current?["text"]), utf8(want.last?["text"]))
                answers += want.count
            }
            // And the migrated database takes new answers
            XCTAssertNotNil(c.call("answers.save", #"{"promptId":"solidarity-means.research","text":"after migrating"}"#)?["result"])
            XCTAssertEqual(server.stop(), 0)
            XCTAssertEqual(try DatabaseFile.integrity(db), ["ok"])
        }
        report("migration: fixtures=\(all.count) (\(all.joined(separator: ","))) revisions-kept=\(answers) lost=0")
    }
}
