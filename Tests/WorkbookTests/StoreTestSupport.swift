import Foundation
import GRDB
import XCTest
@testable import Workbook

/// A small two-workbook catalog whose shape the store tests rely on.
enum StoreFixtures {
    static let alpha = Pack(
        id: "alpha", version: "1.0.0", title: "Alpha", summary: "A test workbook.", language: "en",
        attribution: Attribution(title: "Alpha Source", source: "From *Tests*", note: nil),
        items: [
            PackItem(id: "s1", kind: .section, title: "First", text: "", items: [
                PackItem(id: "c1", kind: .context, text: "Context <one> & more."),
                PackItem(id: "p1", kind: .prompt, text: "What is solidarity to you?", contextIds: ["c1"]),
                PackItem(id: "p2", kind: .prompt, text: "Who do you stand with?", leadPromptId: "p1"),
            ]),
            PackItem(id: "s2", kind: .section, title: "Second", text: "", items: [
                PackItem(id: "p3", kind: .prompt, text: "What does co-opting look like?"),
                PackItem(id: "p4", kind: .prompt, text: "What are your end goals?", guidance: "Think *long* term."),
            ]),
        ])
    static let beta = Pack(id: "beta", version: "2.0.0", title: "Beta", summary: "Another.", language: "en",
                           attribution: nil, items: [PackItem(id: "b1", kind: .prompt, text: "Beta question?")])
    static let catalog = WorkbookCatalog(packs: [alpha, beta])
}

/// A clock tests can set and advance by whole milliseconds.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now = Date(timeIntervalSince1970: 1_795_000_000) // 2026-11-18T...
    /// The current instant.
    func date() -> Date { lock.withLock { now } }
    /// Moves the clock forward.
    func advance(ms: Int = 1000) { lock.withLock { now = now.addingTimeInterval(Double(ms) / 1000) } }
    /// The current instant as the store formats it.
    var stamp: String { Timestamp.string(date()) }
}

/// Test helpers shared by the Store*Tests files.
extension XCTestCase {
    /// An in-memory store on the fixture catalog with a controllable clock.
    func makeStore(catalog: WorkbookCatalog = StoreFixtures.catalog, clock: TestClock = TestClock(),
                   maxAnswerBytes: Int = 1 << 20) throws -> WorkbookStore {
        try WorkbookStore.inMemory(catalog: catalog, options: StoreOptions(maxAnswerBytes: maxAnswerBytes,
                                                                            clock: { clock.date() }))
    }

    /// A fresh temporary directory, removed after the test.
    func makeTempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// Row count of a table.
    func count(_ store: WorkbookStore, _ table: String) throws -> Int {
        try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1 }
    }

    /// Runs `body` and returns the WorkbookError it throws (fails when it does not throw).
    func error<T>(_ body: () throws(WorkbookError) -> T, file: StaticString = #filePath, line: UInt = #line) -> WorkbookError? {
        do {
            _ = try body()
            XCTFail("expected an error", file: file, line: line)
            return nil
        } catch { return error }
    }
}
