import Foundation
import GRDB
import XCTest
@testable import Workbook

/// A delete is committed before the files are scrubbed: a reader that holds the WAL back must not
/// turn it into a reported failure, and the scrub is owed until the next write or open.
final class StoreDeleteScrubTests: XCTestCase {
    private final class Warnings: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    private let secret = "qzxv private reflection qzxv"

    /// The database files holding `text`'s bytes.
    private func filesContaining(_ path: String, _ text: String) -> [String] {
        [path, path + "-wal", path + "-shm"].filter { file in
            FileManager.default.contents(atPath: file)?.range(of: Data(text.utf8)) != nil
        }
    }

    private func marker(_ store: WorkbookStore) throws -> Bool {
        try store.writer.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM meta WHERE key = 'scrubPending'") } ?? false
    }

    /// Another connection on the same file, holding a read transaction open until `end()`.
    private final class Reader: @unchecked Sendable {
        private let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        private let finished = DispatchSemaphore(value: 0)
        private(set) var count: Int?

        init(path: String) throws {
            let queue = try DatabaseQueue(path: path)
            Thread { [self] in
                try? queue.read { db in
                    count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM answers")
                    started.signal()
                    release.wait()
                }
                try? queue.close()
                finished.signal()
            }.start()
            guard started.wait(timeout: .now() + 10) == .success else { throw CocoaError(.fileReadUnknown) }
        }

        /// Lets the reader finish without waiting (teardown, should a test fail before `end()`).
        func letGo() { release.signal() }

        /// Ends the read transaction and closes the connection.
        func end() {
            release.signal()
            XCTAssertEqual(finished.wait(timeout: .now() + 10), .success, "the reader did not finish")
        }
    }

    /// A store on a fresh file (short busy timeout), the answer saved, and a second connection holding
    /// a read transaction open on the same file.
    private func storeWithOpenReader(_ warnings: Warnings) throws -> (WorkbookStore, String, Reader) {
        let path = try makeTempDir().appendingPathComponent("wb.sqlite").path
        let store = try WorkbookStore.open(path: path, catalog: StoreFixtures.catalog,
                                           options: StoreOptions(busyTimeout: 0.2, warn: { warnings.append($0) }))
        _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: secret), client: "x")
        _ = try store.answersSave(AnswersSaveParams(promptId: "p2", text: "kept words"), client: "x")
        let reader = try Reader(path: path)
        addTeardownBlock { reader.letGo() }
        XCTAssertEqual(reader.count, 2)
        return (store, path, reader)
    }

    func testADeleteHeldBackByAReaderSucceedsAndTheNextWriteScrubs() throws {
        // Given a saved answer and another connection in a read transaction
        let warnings = Warnings()
        let (store, path, reader) = try storeWithOpenReader(warnings)
        // When the answer is deleted
        let result = try store.answersDelete(AnswersDeleteParams(promptId: "p1"))
        // Then the delete is reported done, the truncate is owed, and the warning holds no answer text
        XCTAssertEqual(result.deleted, 1)
        XCTAssertNil(try store.answersGet(AnswersGetParams(promptId: "p1")))
        XCTAssertTrue(try marker(store))
        XCTAssertEqual(warnings.all.count, 1)
        XCTAssertTrue(warnings.all[0].contains(path + "-wal"), warnings.all[0])
        XCTAssertFalse(warnings.all.joined().contains("qzxv"))
        XCTAssertFalse(filesContaining(path, secret).isEmpty, "the reader holds the old pages")
        // When the reader goes away and the next save is made
        reader.end()
        _ = try store.answersSave(AnswersSaveParams(promptId: "p3", text: "a new answer"), client: "x")
        // Then the text is gone from every file, and nothing is owed any more
        XCTAssertEqual(filesContaining(path, secret), [])
        XCTAssertFalse(try marker(store))
        XCTAssertEqual(try store.answersGet(AnswersGetParams(promptId: "p2"))?.text, "kept words")
        XCTAssertEqual(warnings.all.count, 1)
    }

    func testAnEraseHeldBackByAReaderIsScrubbedWhenTheFileIsOpenedNext() throws {
        // Given an erase that a reader held back
        let warnings = Warnings()
        let (store, path, reader) = try storeWithOpenReader(warnings)
        XCTAssertEqual(try store.dataErase(DataEraseParams(confirm: DataEraseParams.confirmation), client: "x").deleted, 2)
        XCTAssertTrue(try marker(store))
        XCTAssertEqual(warnings.all.count, 1)
        // When the reader goes away and another store opens the file (the first stays open, so
        // SQLite's checkpoint on the last close cannot be what scrubs it)
        reader.end()
        XCTAssertFalse(filesContaining(path, secret).isEmpty)
        let next = try WorkbookStore.open(path: path, catalog: StoreFixtures.catalog)
        // Then the text is gone from the files and the marker is cleared
        XCTAssertEqual(filesContaining(path, secret), [])
        XCTAssertFalse(try marker(next))
        XCTAssertEqual(try count(store, "answers"), 0)
    }

    func testAnUnhinderedDeleteScrubsAtOnceWithoutAWarning() throws {
        // Given a saved answer and no other connection
        let warnings = Warnings()
        let path = try makeTempDir().appendingPathComponent("wb.sqlite").path
        let store = try WorkbookStore.open(path: path, catalog: StoreFixtures.catalog,
                                           options: StoreOptions(warn: { warnings.append($0) }))
        _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: secret), client: "x")
        // When it is deleted
        XCTAssertEqual(try store.answersDelete(AnswersDeleteParams(promptId: "p1")).deleted, 1)
        // Then the files are clean at once, nothing is owed and nothing was logged
        XCTAssertEqual(filesContaining(path, secret), [])
        XCTAssertFalse(try marker(store))
        XCTAssertEqual(warnings.all, [])
    }
}
