import Foundation
import GRDB
import XCTest
@testable import Workbook

final class StoreDurabilityTests: XCTestCase {
    /// True when any of the database's files holds `marker`'s bytes.
    private func filesContain(_ path: String, _ marker: String) -> [String] {
        [path, path + "-wal", path + "-shm"].filter { file in
            guard let data = FileManager.default.contents(atPath: file) else { return false }
            return data.range(of: Data(marker.utf8)) != nil
        }
    }

    private func fileStore(_ name: String = "wb.sqlite") throws -> (WorkbookStore, String) {
        let path = try makeTempDir().appendingPathComponent(name).path
        return (try WorkbookStore.open(path: path, catalog: StoreFixtures.catalog), path)
    }

    func testDeletedTextLeavesTheFiles() throws {
        // Given three markers saved (with revisions) next to other answers
        let (store, path) = try fileStore()
        _ = try store.answersSave(AnswersSaveParams(promptId: "p2", text: "ordinary words stay"), client: "x")
        for n in 1...3 {
            _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "qzxv answer marker \(n) qzxvone"), client: "x")
        }
        let other = try store.passesStart(PassesStartParams(workbookId: "alpha"), client: "x")
        _ = try store.answersSave(AnswersSaveParams(promptId: "p3", text: "qzxvtwo pass marker", passId: other.id), client: "x")
        _ = try store.answersSave(AnswersSaveParams(promptId: "b1", text: "qzxvthree erase marker"), client: "x")
        XCTAssertFalse(filesContain(path, "qzxvone").isEmpty, "the marker should be on disk before deleting")
        // When deleting the answer, the other pass, then everything
        // (without passId the newest pass, `other`, is used: it has no p1)
        XCTAssertEqual(try store.answersDelete(AnswersDeleteParams(promptId: "p1")).deleted, 0)
        let firstPass = try store.passesList(PassesListParams(workbookId: "alpha")).last!.id
        XCTAssertEqual(try store.answersDelete(AnswersDeleteParams(promptId: "p1", passId: firstPass)).deleted, 3)
        // Then the answer marker is gone from the .sqlite, -wal and -shm files
        XCTAssertEqual(filesContain(path, "qzxvone"), [])
        XCTAssertEqual(filesContain(path, "ordinary words stay").count, 1)
        XCTAssertEqual(try store.passesDelete(PassesDeleteParams(passId: other.id), client: "x").deleted, 1)
        XCTAssertEqual(filesContain(path, "qzxvtwo"), [])
        XCTAssertEqual(error { () throws(WorkbookError) in try store.dataErase(DataEraseParams(confirm: "yes"), client: "x") },
                       .invalidArgument(field: "confirm", reason: "must be exactly \"erase all answers\""))
        XCTAssertEqual(try store.dataErase(DataEraseParams(confirm: "erase all answers"), client: "x").deleted, 2)
        XCTAssertEqual(filesContain(path, "qzxvthree"), [])
        XCTAssertEqual(filesContain(path, "ordinary words stay"), [])
        // And the change log recorded each deletion without text
        let types = try store.changesList(ChangesListParams(limit: 1000)).changes.map(\.type)
        XCTAssertEqual(Array(types.suffix(4)), [.answerDeleted, .passDeleted, .dataErased, .dataErased])
        XCTAssertEqual(try [count(store, "passes"), count(store, "answers"), count(store, "revisions")], [0, 0, 0])
    }

    func testTwoStoresOnOneFileLoseNothing() throws {
        // Given two stores (two pools) on one file
        let (first, path) = try fileStore()
        let second = try WorkbookStore.open(path: path, catalog: StoreFixtures.catalog)
        let stores = [first, second]
        let perThread = 40
        // When both save concurrently: each to its own prompt and both to p3
        DispatchQueue.concurrentPerform(iterations: 2) { t in
            for n in 0..<perThread {
                _ = try? stores[t].answersSave(AnswersSaveParams(promptId: t == 0 ? "p1" : "p2", text: "\(t)-\(n)"), client: "t\(t)")
                _ = try? stores[t].answersSave(AnswersSaveParams(promptId: "p3", text: "shared \(t)-\(n)"), client: "t\(t)")
            }
        }
        // Then every save is a revision, in one shared pass
        XCTAssertEqual(try count(first, "passes"), 1)
        XCTAssertEqual(try count(first, "revisions"), 4 * perThread)
        XCTAssertEqual(try first.answersGet(AnswersGetParams(promptId: "p3"))?.revision, 2 * perThread)
        XCTAssertEqual(try second.answersGet(AnswersGetParams(promptId: "p1"))?.revision, perThread)
        XCTAssertEqual(try second.headCursor(), Int64(1 + 4 * perThread))
    }

    func testBackupWhileWritingIsIntactAndPrivate() throws {
        // Given a store being written to from another thread
        let (store, path) = try fileStore()
        let dir = (path as NSString).deletingLastPathComponent
        let backupPath = dir + "/backup.sqlite"
        let writer = Thread {
            for n in 0..<200 { _ = try? store.answersSave(AnswersSaveParams(promptId: "p1", text: "n\(n)"), client: "w") }
        }
        writer.start()
        // When backing up meanwhile
        try store.backup(to: backupPath)
        while !writer.isFinished { usleep(1000) }
        // Then the copy is intact, private and a workbook database
        XCTAssertEqual(try (FileManager.default.attributesOfItem(atPath: backupPath)[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        var config = Configuration()
        config.readonly = true
        let copy = try DatabaseQueue(path: backupPath, configuration: config)
        XCTAssertEqual(try copy.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }, ["ok"])
        XCTAssertEqual(try copy.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'databaseId'") }, store.databaseId)
        try copy.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: backupPath + "-wal"))
        // And an existing file is refused unless forced; a symlink never
        XCTAssertEqual(error { () throws(WorkbookError) in try store.backup(to: backupPath) },
                       .invalidArgument(field: "path", reason: "\(backupPath) exists (use force to replace it)"))
        try store.backup(to: backupPath, force: true)
        let link = dir + "/link.sqlite"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: dir + "/target.sqlite")
        XCTAssertEqual(error { () throws(WorkbookError) in try store.backup(to: link, force: true) },
                       .invalidArgument(field: "path", reason: "\(link) exists and is not a regular file"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/target.sqlite"))
    }

    func testRestoreReplacesTheLiveDatabase() throws {
        // Given a backup of database A, and a live database B with its own answer
        let (a, pathA) = try fileStore("a.sqlite")
        _ = try a.answersSave(AnswersSaveParams(promptId: "p1", text: "from the backup"), client: "x")
        let backupPath = (pathA as NSString).deletingLastPathComponent + "/a.backup"
        try a.backup(to: backupPath)
        let (b, pathB) = try fileStore("b.sqlite")
        _ = try b.answersSave(AnswersSaveParams(promptId: "p2", text: "live only"), client: "x")
        _ = try b.answersSave(AnswersSaveParams(promptId: "p2", text: "live only, again"), client: "x")
        let idOfB = b.databaseId
        XCTAssertEqual(try b.headCursor(), 3)
        // When a broken file is restored, nothing changes
        let junk = (pathA as NSString).deletingLastPathComponent + "/junk"
        try Data("not a database at all, just text".utf8).write(to: URL(fileURLWithPath: junk))
        XCTAssertNotNil(error { () throws(WorkbookError) in try WorkbookStore.restore(from: junk, into: pathB) })
        let foreign = (pathA as NSString).deletingLastPathComponent + "/foreign.sqlite"
        try DatabaseQueue(path: foreign).write { db in try db.execute(sql: "CREATE TABLE t(x)") }
        XCTAssertEqual(error { () throws(WorkbookError) in try WorkbookStore.restore(from: foreign, into: pathB) },
                       .invalidArgument(field: "path", reason: "not a workbook database (no table meta)"))
        XCTAssertEqual(try b.answersGet(AnswersGetParams(promptId: "p2"))?.text, "live only, again")
        XCTAssertEqual(b.databaseId, idOfB)
        // When the backup is restored into B's file while B is open
        try WorkbookStore.restore(from: backupPath, into: pathB, catalog: StoreFixtures.catalog)
        // Then the open store sees A's data and change log under a fresh id (cursors of A or B are void)
        XCTAssertNotEqual(b.databaseId, a.databaseId)
        XCTAssertNotEqual(b.databaseId, idOfB)
        XCTAssertNotNil(UUID(uuidString: b.databaseId))
        XCTAssertEqual(try b.changeLogState(), ChangeLogState(databaseId: b.databaseId, head: 2))
        XCTAssertEqual(try b.changesList(ChangesListParams()).changes.map(\.type), [.passStarted, .answerSaved])
        XCTAssertEqual(try b.answersGet(AnswersGetParams(promptId: "p1"))?.text, "from the backup")
        XCTAssertNil(try b.answersGet(AnswersGetParams(promptId: "p2")))
        XCTAssertEqual(try b.writer.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }, ["ok"])
        XCTAssertEqual(try b.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }, "wal")
        XCTAssertEqual(try b.answersSave(AnswersSaveParams(promptId: "p2", text: "after restore"), client: "x").revision, 1)
        XCTAssertEqual(try WorkbookStore.open(path: pathB, catalog: StoreFixtures.catalog).answersGet(AnswersGetParams(promptId: "p2"))?.text,
                       "after restore")
    }

    func testSavepointJournalsStayInMemoryNotInTemporaryFiles() throws {
        // /proc/self/fd names the (unlinked) temporary files SQLite spills journals to
        guard FileManager.default.fileExists(atPath: "/proc/self/fd") else { throw XCTSkip("needs /proc (Linux)") }
        func openTemporaryFiles() -> [String] {
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            return fds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0) }
                .filter { $0.contains("etilqs") }
        }
        // Given answers larger than the 64 KiB a statement journal keeps in memory by default
        let (store, _) = try fileStore()
        let text = String(repeating: "private words ", count: 2_000)
        for prompt in ["p1", "p2", "p3", "p4"] {
            _ = try store.answersSave(AnswersSaveParams(promptId: prompt, text: text), client: "x")
        }
        // When a savepoint (as every group-commit save runs in) rewrites all of them
        var during: [String] = ["not measured"]
        try store.writer.write { db in
            try db.inSavepoint {
                try db.execute(sql: "UPDATE answers SET text = text || 'more'")
                during = openTemporaryFiles()
                return .rollback
            }
        }
        // Then its journal never went to a file outside the database
        XCTAssertEqual(during, [])
    }
}
