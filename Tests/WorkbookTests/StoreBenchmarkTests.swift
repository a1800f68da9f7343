import Foundation
import GRDB
import XCTest
@testable import Workbook

/// Opt-in (`WORKBOOK_BENCH=1`): hot reads stay cheap with a million revisions on file.
final class StoreBenchmarkTests: XCTestCase {
    func testProgressAndSaveStayCheapWithAMillionRevisions() throws {
        guard ProcessInfo.processInfo.environment["WORKBOOK_BENCH"] == "1" else { throw XCTSkip("set WORKBOOK_BENCH=1") }
        // Given 1,000,000 revisions over 1,000 passes of the standard workbook
        let path = try makeTempDir().appendingPathComponent("bench.sqlite").path
        let store = try WorkbookStore.open(path: path, catalog: .standard)
        let ids = WorkbookCatalog.standard.prompts(in: "solidarity").map(\.prompt.id)
        try store.writer.write { db in
            for p in 0..<1000 {
                let pass = String(format: "00000000-0000-4000-8000-%012d", p)
                try db.execute(sql: "INSERT INTO passes(id, workbookId, startedAt) VALUES (?, 'solidarity', ?)",
                               arguments: [pass, String(format: "2026-01-01T00:00:00.%03dZ", p)])
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO revisions(uuid, passId, promptId, revision, text, status, at, client, packVersion)
                    VALUES (?, ?, ?, ?, 'some words of text', 'draft', '2026-01-01T00:00:00.000Z', 'bench', '1.0.0')
                    """)
                for r in 0..<1000 {
                    try insert.execute(arguments: [UUID().uuidString, pass, ids[r % ids.count], r / ids.count + 1])
                }
                try db.execute(sql: """
                    INSERT INTO answers(passId, promptId, text, status, revision, updatedAt, client, packVersion, words)
                    SELECT passId, promptId, text, status, MAX(revision), at, client, packVersion, 4
                    FROM revisions WHERE passId = ? GROUP BY promptId
                    """, arguments: [pass])
            }
        }
        _ = try store.answersSave(AnswersSaveParams(promptId: ids[0], text: "warm"), client: "b")
        // When timing progress.get and a save
        let clock = ContinuousClock()
        let progressTime = try clock.measure { for _ in 0..<100 { _ = try store.progressGet(ProgressGetParams()) } } / 100
        let saveTime = try clock.measure {
            for n in 0..<100 { _ = try store.answersSave(AnswersSaveParams(promptId: ids[n % 22], text: "t\(n)"), client: "b") }
        } / 100
        // Then each stays in the low milliseconds
        print("progress.get \(progressTime), answers.save \(saveTime)")
        XCTAssertLessThan(progressTime, .milliseconds(5))
        XCTAssertLessThan(saveTime, .milliseconds(50))
    }
}
