import Foundation
import GRDB
import XCTest
@testable import Workbook

final class StoreFileTests: XCTestCase {
    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func testOpenCreatesPrivateFilesWithDurablePragmas() throws {
        // Given a path in a directory that does not exist yet
        let dir = try makeTempDir().appendingPathComponent("nested/data")
        let path = dir.appendingPathComponent("workbook.sqlite").path
        // When opening and saving
        let store = try WorkbookStore.open(path: path, catalog: StoreFixtures.catalog)
        _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "x"), client: "x")
        // Then the directory is 0700 and the files 0600
        XCTAssertEqual(try mode(dir.path), 0o700)
        for file in [path, path + "-wal", path + "-shm"] { XCTAssertEqual(try mode(file), 0o600, file) }
        // And writer and reader connections run synchronous=FULL (2), secure_delete, foreign keys
        let query = "SELECT (SELECT synchronous FROM pragma_synchronous), (SELECT secure_delete FROM pragma_secure_delete), (SELECT foreign_keys FROM pragma_foreign_keys)"
        let onWriter = try store.writer.writeWithoutTransaction { db in try Row.fetchOne(db, sql: query)! }
        let onReader = try store.writer.read { db in try Row.fetchOne(db, sql: query)! }
        for row in [onWriter, onReader] { XCTAssertEqual([row[0], row[1], row[2]] as [Int], [2, 1, 1]) }
        let journal = try store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(journal, "wal")
        let busy = try store.writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA busy_timeout") }
        XCTAssertEqual(busy, 5000)
        // And the database id survives reopening
        let id = store.databaseId
        XCTAssertEqual(UUID(uuidString: id)?.uuidString.lowercased(), id)
        XCTAssertEqual(try WorkbookStore.open(path: path, catalog: StoreFixtures.catalog).databaseId, id)
    }

    func testInMemorySecureDelete() throws {
        // Given an in-memory store, then secure_delete is on
        let store = try makeStore()
        XCTAssertEqual(try store.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA secure_delete") }, 1)
    }

    func testSchemaSnapshotMatchesSchemaFile() throws {
        // Given a freshly migrated database
        let store = try makeStore()
        final class Sink: TextOutputStream { var text = ""; func write(_ s: String) { text += s } }
        let sink = Sink()
        try store.writer.dumpSchema(to: sink)
        // Then its schema equals schema/workbook.sql (WORKBOOK_UPDATE_SCHEMA=1 rewrites the file)
        let file = repoRoot().appendingPathComponent("schema/workbook.sql")
        if ProcessInfo.processInfo.environment["WORKBOOK_UPDATE_SCHEMA"] == "1" {
            try sink.text.write(to: file, atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(sink.text, try String(contentsOf: file, encoding: .utf8))
    }

    func testCorruptFileIsStorageCorrupt() throws {
        // Given a file of garbage
        let path = try makeTempDir().appendingPathComponent("bad.sqlite").path
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
        // Then opening reports storageCorrupt
        guard case .storageFailure(kind: .storageCorrupt, _)? = error({ () throws(WorkbookError) in
            try WorkbookStore.open(path: path, catalog: StoreFixtures.catalog)
        }) else { return XCTFail("expected storageCorrupt") }
    }

    func testReadOnlyStoreRefusesWrites() throws {
        // Given a database opened read-only
        let path = try makeTempDir().appendingPathComponent("w.sqlite").path
        let writable = try WorkbookStore.open(path: path, catalog: StoreFixtures.catalog)
        _ = try writable.answersSave(AnswersSaveParams(promptId: "p1", text: "x"), client: "x")
        let store = try WorkbookStore.open(path: path, catalog: StoreFixtures.catalog, options: StoreOptions(readOnly: true))
        // Then reads work and writes report readOnly
        XCTAssertEqual(try store.answersGet(AnswersGetParams(promptId: "p1"))?.text, "x")
        guard case .readOnly? = error({ () throws(WorkbookError) in
            try store.answersSave(AnswersSaveParams(promptId: "p1", text: "y"), client: "x")
        }) else { return XCTFail("expected readOnly") }
    }

    func testReadOnlyDirectoryIsReadOnly() throws {
        // Root ignores directory permissions: as root (CI), this very test runs again as uid 65534
        if geteuid() == 0 { return try runThisTestUnprivileged("testReadOnlyDirectoryIsReadOnly") }
        // Given a directory without write permission
        let dir = try makeTempDir().appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o500])
        addTeardownBlock { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dir.path) }
        // Then creating a database there reports readOnly
        guard case .readOnly? = error({ () throws(WorkbookError) in
            try WorkbookStore.open(path: dir.appendingPathComponent("w.sqlite").path, catalog: StoreFixtures.catalog)
        }) else { return XCTFail("expected readOnly") }
    }

    /// Runs `StoreFileTests/name` in a fresh test process as uid 65534 (setpriv) and fails unless it
    /// ran and passed there.
    private func runThisTestUnprivileged(_ name: String) throws {
        let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let setpriv else { throw skipOrFail("setpriv is needed to run this test without root's privileges") }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        let run = try runProcess("/usr/bin/env", ["TMPDIR=/tmp", "HOME=/nonexistent", setpriv, "--reuid=65534", "--regid=65534",
                                                  "--clear-groups", testBinary, "WorkbookTests.StoreFileTests/\(name)"])
        let output = run.out + run.err
        XCTAssertEqual(run.status, 0, output)
        XCTAssertTrue(output.contains("Executed 1 test, with 0 failures"), output)
        XCTAssertFalse(output.contains("skipped"), output)
    }

    func testFullDatabaseIsStorageFullAndKeepsEarlierAnswers() throws {
        // Given a file database with an answer, capped at its current size
        let path = try makeTempDir().appendingPathComponent("full.sqlite").path
        let store = try WorkbookStore.open(path: path, catalog: StoreFixtures.catalog)
        let kept = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "kept"), client: "x").answer
        try store.writer.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count")!
            _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages)")
        }
        // When saving 200 KB
        let err = error { () throws(WorkbookError) in
            try store.answersSave(AnswersSaveParams(promptId: "p2", text: String(repeating: "long text ", count: 20_000)), client: "x")
        }
        // Then it fails with storageFull and nothing else changed
        guard case .storageFailure(kind: .storageFull, _)? = err else { return XCTFail("expected storageFull, got \(String(describing: err))") }
        XCTAssertEqual(try store.answersGet(AnswersGetParams(promptId: "p1")), kept)
        XCTAssertNil(try store.answersGet(AnswersGetParams(promptId: "p2")))
        XCTAssertEqual(try count(store, "revisions"), 1)
    }

    func testHotQueriesUseIndexes() throws {
        // Given the schema, then no per-request query scans answers, revisions or passes
        let store = try makeStore()
        let queries = [
            "SELECT promptId, status, words, updatedAt FROM answers WHERE passId = 'x'",
            "SELECT * FROM answers WHERE passId = 'x' AND promptId = 'p'",
            "SELECT * FROM revisions WHERE passId = 'x' AND promptId = 'p' ORDER BY revision",
            "SELECT * FROM passes WHERE workbookId = 'w' AND closedAt IS NULL ORDER BY startedAt DESC, rowid DESC LIMIT 1",
            "SELECT a.* FROM answers a JOIN passes p ON p.id = a.passId WHERE a.promptId = 'p' AND p.workbookId = 'w'",
            "SELECT 1 FROM revisions WHERE uuid = 'u'",
            "SELECT * FROM changes WHERE cursor > 5 ORDER BY cursor LIMIT 10",
        ]
        for sql in queries {
            let plan = try store.writer.read { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String } }
            XCTAssertFalse(plan.contains { $0.hasPrefix("SCAN") && !$0.contains("USING") }, "\(sql): \(plan)")
        }
    }
}
