import Foundation
import GRDB
import XCTest
@testable import Workbook

/// The store keeps the answers' search index itself, once per transaction (`AnswerIndex`): after
/// any mix of writes, the index holds exactly the current texts, FTS5's own integrity check passes,
/// and nothing of a write that failed is indexed.
final class StoreSearchIndexTests: XCTestCase {
    private func fileStore() throws -> WorkbookStore {
        let path = try makeTempDir().appendingPathComponent("wb.sqlite").path
        return try WorkbookStore.open(path: path, catalog: StoreFixtures.catalog)
    }

    /// Each current answer is found by its own marker word, no old marker is found, and FTS5 agrees.
    private func assertIndexMatchesAnswers(_ store: WorkbookStore, gone: Set<String>, file: StaticString = #filePath,
                                           line: UInt = #line) throws {
        try store.writer.write { db in
            try db.execute(sql: "INSERT INTO answers_fts(answers_fts) VALUES ('integrity-check')")
        }
        let current = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT passId, promptId, text FROM answers").map { ($0[0] as String, $0[1] as String, $0[2] as String) }
        }
        for (passId, promptId, text) in current {
            for marker in text.split(separator: " ") where marker.hasPrefix("m") {
                let hits = try store.search(SearchParams(query: String(marker), limit: 100)).hits.filter { $0.kind == .answer }
                XCTAssertEqual(hits.map { "\($0.passId ?? "")/\($0.promptId)" }, ["\(passId)/\(promptId)"],
                               "marker \(marker)", file: file, line: line)
            }
        }
        for marker in gone.subtracting(current.flatMap { $0.2.split(separator: " ").map(String.init) }) {
            XCTAssertEqual(try store.search(SearchParams(query: marker)).hits.filter { $0.kind == .answer }, [],
                           "old marker \(marker)", file: file, line: line)
        }
    }

    func testEveryKindOfWriteLeavesTheIndexEqualToTheCurrentTexts() throws {
        // Given a file store and unique marker words (m0, m1, …) in every text written
        let store = try fileStore()
        var markers = Set<String>(), n = 0
        func text() -> String { n += 1; markers.insert("m\(n)"); return "words m\(n) end" }
        let prompts = ["p4", "p1", "p3", "p2", "b1"]
        // When single saves, a saveMany out of rowid order with repeats, a status-only change, a
        // skip, a restore, a second pass, an import-free delete, and saves again all run
        for p in prompts { _ = try store.answersSave(AnswersSaveParams(promptId: p, text: text()), client: "t") }
        _ = try store.answersSaveMany(AnswersSaveManyParams(items: ["p2", "p4", "p1", "p4", "p3", "p2", "p1"].map {
            AnswersSaveParams(promptId: $0, text: text())
        }), client: "t")
        let p3 = try XCTUnwrap(store.answersGet(AnswersGetParams(promptId: "p3")))
        _ = try store.answersSave(AnswersSaveParams(promptId: "p3", text: p3.text, status: .final), client: "t")
        _ = try store.answersSkip(AnswersSkipParams(promptId: "p1"), client: "t")
        _ = try store.answersRestore(AnswersRestoreParams(promptId: "p4", revision: 1), client: "t")
        _ = try store.passesStart(PassesStartParams(workbookId: "alpha"), client: "t")
        _ = try store.answersSaveMany(AnswersSaveManyParams(items: ["p3", "p1"].map { AnswersSaveParams(promptId: $0, text: text()) }),
                                      client: "t")
        _ = try store.answersDelete(AnswersDeleteParams(promptId: "p2"))
        _ = try store.answersSave(AnswersSaveParams(promptId: "p2", text: text()), client: "t")
        // Then the index holds exactly the current texts
        try assertIndexMatchesAnswers(store, gone: markers)
    }

    func testAFailedSaveInAGroupCommitLeavesNothingIndexedAndTheOthersAreFound() throws {
        // Given a leader held inside a grouped write while two saves queue behind it, one of them stale
        let store = try fileStore()
        _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "words m1 end"), client: "t")
        let release = DispatchSemaphore(value: 0), entered = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        final class Results: @unchecked Sendable { let lock = NSLock(); var ok: [String: Bool] = [:] }
        let results = Results()
        done.enter()
        Thread.detachNewThread {
            _ = try? store.write(grouped: true) { _ in entered.signal(); release.wait() }
            done.leave()
        }
        entered.wait()
        for (name, params) in [("stale", AnswersSaveParams(promptId: "p1", text: "words m2 end", expectedRevision: 7)),
                               ("fresh", AnswersSaveParams(promptId: "p3", text: "words m3 end"))] {
            done.enter()
            Thread.detachNewThread {
                let ok = (try? store.answersSave(params, client: "t")) != nil
                results.lock.withLock { results.ok[name] = ok }
                done.leave()
            }
        }
        while store.groupCommit.queuedCount < 2 { usleep(1000) }
        // When they commit together
        release.signal()
        done.wait()
        // Then the stale one failed and is not indexed; the fresh one is
        XCTAssertEqual(results.lock.withLock { results.ok }, ["stale": false, "fresh": true])
        try assertIndexMatchesAnswers(store, gone: ["m2"])
        XCTAssertEqual(try store.search(SearchParams(query: "m3")).hits.map(\.promptId), ["p3"])
    }

    func testAV1DatabaseIsMigratedAndItsAnswersStayFindable() throws {
        // Given a database made with the v1 schema (index kept by triggers) and an answer in it
        let path = try makeTempDir().appendingPathComponent("wb.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in try db.execute(sql: Migrations.v1) }
            try migrator.migrate(queue)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO passes(id, workbookId, startedAt) VALUES ('x', 'alpha', '2026-01-01T00:00:00.000Z')")
                try db.execute(sql: """
                    INSERT INTO answers(passId, promptId, text, status, revision, updatedAt, client, packVersion, words)
                    VALUES ('x', 'p1', 'words m1 end', 'draft', 1, '2026-01-01T00:00:00.000Z', 't', '1.0.0', 3)
                    """)
            }
        }
        // When the store opens it (migrating to v2) and the answer is saved again
        let store = try WorkbookStore.open(path: path, catalog: StoreFixtures.catalog)
        let triggers = try store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        }
        XCTAssertEqual(triggers, ["answers_fts_delete"])
        XCTAssertEqual(try store.search(SearchParams(query: "m1")).hits.map(\.promptId), ["p1"])
        _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "words m2 end", passId: "x"), client: "t")
        // Then the index follows: the new text is found, the old one is not
        try assertIndexMatchesAnswers(store, gone: ["m1"])
    }
}
