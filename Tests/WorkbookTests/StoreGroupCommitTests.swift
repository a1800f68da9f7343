import Foundation
import GRDB
import XCTest
@testable import Workbook

/// Group commit: concurrent saves share transactions, each one is acknowledged only once committed,
/// and one save failing changes nothing for the others in its transaction.
final class StoreGroupCommitTests: XCTestCase {
    private func fileStore() throws -> WorkbookStore {
        let path = try makeTempDir().appendingPathComponent("wb.sqlite").path
        return try WorkbookStore.open(path: path, catalog: StoreFixtures.catalog)
    }

    /// Counts the commits of `store`'s writer.
    private final class CommitCounter: TransactionObserver, @unchecked Sendable {
        private let lock = NSLock()
        private var commits = 0
        var count: Int { lock.withLock { commits } }
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { lock.withLock { commits += 1 } }
        func databaseDidRollback(_ db: Database) {}
    }

    func testSavesQueuedBehindACommitShareTheNextTransaction() throws {
        // Given a store whose writer is held inside a grouped write until five more saves are queued
        let store = try fileStore()
        let counter = CommitCounter()
        store.writer.add(transactionObserver: counter, extent: .databaseLifetime)
        let release = DispatchSemaphore(value: 0), entered = DispatchSemaphore(value: 0)
        let leaderDone = expectation(description: "leader")
        Thread.detachNewThread {
            _ = try? store.write(grouped: true) { db in
                entered.signal()
                release.wait()
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('leader', 'x')")
            }
            leaderDone.fulfill()
        }
        entered.wait()
        let followers = (1...5).map { n in expectation(description: "save \(n)") }
        let results = Results()
        for n in 1...5 {
            Thread.detachNewThread {
                let result = Result { () throws(WorkbookError) in
                    try store.answersSave(AnswersSaveParams(promptId: "p\(n % 4 + 1)", text: "answer \(n)"), client: "t")
                }
                results.append(result.map(\.answer.text))
                followers[n - 1].fulfill()
            }
        }
        XCTAssertTrue(waitUntil { store.groupCommit.queuedCount == 5 }, "the five saves should queue behind the leader")
        let before = counter.count
        // When the leader commits
        release.signal()
        wait(for: [leaderDone] + followers, timeout: 10)
        // Then the five saves were committed together, in one transaction after the leader's
        XCTAssertEqual(counter.count - before, 2)
        XCTAssertEqual(results.values.compactMap { try? $0.get() }.sorted(), (1...5).map { "answer \($0)" })
        XCTAssertEqual(try count(store, "revisions"), 5)
    }

    func testAFailingSaveChangesNothingForTheOthersInItsTransaction() throws {
        // Given saves queued behind a held leader, one of them with a stale expectedRevision
        let store = try fileStore()
        _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "first"), client: "t")
        let release = DispatchSemaphore(value: 0), entered = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        group.enter()
        Thread.detachNewThread {
            _ = try? store.write(grouped: true) { _ in entered.signal(); release.wait() }
            group.leave()
        }
        entered.wait()
        let results = Results()
        let saves = [AnswersSaveParams(promptId: "p2", text: "kept two"),
                     AnswersSaveParams(promptId: "p1", text: "stale", expectedRevision: 7),
                     AnswersSaveParams(promptId: "p3", text: "kept three")]
        for save in saves {
            group.enter()
            Thread.detachNewThread {
                results.append(Result { () throws(WorkbookError) in try store.answersSave(save, client: "t") }.map(\.answer.text))
                group.leave()
            }
        }
        XCTAssertTrue(waitUntil { store.groupCommit.queuedCount == 3 })
        // When they commit together
        release.signal()
        XCTAssertEqual(group.wait(timeout: .now() + 10), .success)
        // Then the stale one failed alone, and the other two and the first answer are stored
        let failures = results.values.compactMap { result -> WorkbookError? in
            if case let .failure(error) = result { return error }; return nil
        }
        XCTAssertEqual(failures.count, 1)
        if case .revisionConflict(promptId: "p1", passId: _, currentRevision: 1, current: _)? = failures.first {} else {
            XCTFail("expected a revision conflict, got \(failures)")
        }
        XCTAssertEqual(results.values.compactMap { try? $0.get() }.sorted(), ["kept three", "kept two"])
        XCTAssertEqual(try store.answersGet(AnswersGetParams(promptId: "p1"))?.text, "first")
        XCTAssertEqual(try count(store, "revisions"), 3)
    }

    func testManyConcurrentSavesAreAllStored() throws {
        // Given 8 threads saving 25 answers each to their own prompt
        let store = try fileStore()
        let counter = CommitCounter()
        store.writer.add(transactionObserver: counter, extent: .databaseLifetime)
        let saves = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            for n in 1...25 {
                saves.append(Result { () throws(WorkbookError) in
                    try store.answersSave(AnswersSaveParams(promptId: "p\(t % 4 + 1)", text: "t\(t) n\(n)"), client: "t")
                }.map(\.answer.text))
            }
        }
        // Then every save is stored as its own revision
        XCTAssertEqual(saves.values.filter { (try? $0.get()) == nil }.count, 0)
        XCTAssertEqual(try count(store, "revisions"), 200)
        let texts = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT text FROM revisions") }
        XCTAssertEqual(Set(texts), Set((0..<8).flatMap { t in (1...25).map { "t\(t) n\($0)" } }))
        XCTAssertLessThanOrEqual(counter.count, 200)
    }

    func testASaveThatDoesNotWaitCompletesOnlyOnceItIsCommitted() throws {
        // Given a store on a file, and a second connection of its own to that file
        let store = try fileStore()
        let other = try DatabaseQueue(path: store.path!)
        let done = expectation(description: "completion")
        let seen = Results()
        // When a save is handed over without waiting
        store.answersSave(AnswersSaveParams(promptId: "p1", text: "handed over"), client: "t") { result in
            // Then, when its completion runs, another connection already reads it from the file
            let stored = try? other.read { db in try String.fetchOne(db, sql: "SELECT text FROM answers WHERE promptId = 'p1'") }
            seen.append(result.map { "\($0.answer.text) / \(stored.flatMap { $0 } ?? "none")" })
            done.fulfill()
        }
        wait(for: [done], timeout: 10)
        XCTAssertEqual(try seen.values.first?.get(), "handed over / handed over")
    }

    func testAFailedSaveThatDoesNotWaitReportsItsErrorAndStoresNothing() throws {
        let store = try fileStore()
        let done = expectation(description: "completion")
        let seen = Results()
        store.answersSaveMany(AnswersSaveManyParams(items: [AnswersSaveParams(promptId: "p1", text: "one"),
                                                            AnswersSaveParams(promptId: "nope", text: "two")]), client: "t") { result in
            seen.append(result.map { "\($0.answers.count)" })
            done.fulfill()
        }
        wait(for: [done], timeout: 10)
        guard case .failure(.itemFailed(index: 1, error: .promptNotFound))? = seen.values.first else {
            return XCTFail("expected item 1 to fail, got \(seen.values)")
        }
        XCTAssertEqual(try count(store, "revisions"), 0)
    }

    func testTheWriterThreadEndsWhenIdleAndTheNextWriteStartsItAgain() throws {
        let store = try fileStore()
        let group = GroupCommit(writer: store.writer, index: AnswerIndex(), idleSeconds: 0.05)
        try group.perform { db in try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('a', '1')") }
        XCTAssertTrue(waitUntil { !group.isThreadRunning }, "an idle writer thread should end")
        try group.perform { db in try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('b', '2')") }
        let values = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT value FROM meta WHERE key IN ('a', 'b') ORDER BY key") }
        XCTAssertEqual(values, ["1", "2"])
    }

    /// Thread-safe collection of results.
    private final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Result<String, WorkbookError>] = []
        func append(_ item: Result<String, WorkbookError>) { lock.withLock { items.append(item) } }
        var values: [Result<String, WorkbookError>] { lock.withLock { items } }
    }

    private func waitUntil(timeout: TimeInterval = 5, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if condition() { return true }
            usleep(1000)
        }
        return condition()
    }
}
