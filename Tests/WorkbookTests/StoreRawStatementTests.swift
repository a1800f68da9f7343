import GRDB
import GRDBSQLite
import XCTest
@testable import Workbook

/// `RawStatement` binds and reads through SQLite's C API; these pin what GRDB did for us before.
final class StoreRawStatementTests: XCTestCase {
    private func queue() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE t (a TEXT, b INTEGER)") }
        return queue
    }

    func testTextsRoundTripAndTheEmptyTextIsNotNull() throws {
        let texts = ["", "plain", "naïve — 連帯 ✊🏽", String(repeating: "x", count: 100_000)]
        try queue().write { db in
            for text in texts {
                try RawStatement.with(db, "INSERT INTO t(a, b) VALUES (?, ?)") { insert in
                    insert.bind(1, text); insert.bind(2, Int64.max)
                    try insert.execute()
                }
            }
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM t WHERE a IS NULL"), 0)
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT a FROM t ORDER BY rowid"), texts)
            let read = try RawStatement.with(db, "SELECT a, b FROM t ORDER BY rowid") { select in
                var rows: [(String, Int64)] = []
                while try select.step() { rows.append((select.text(0), select.int64(1))) }
                return rows
            }
            XCTAssertEqual(read.map(\.0), texts)
            XCTAssertEqual(Set(read.map(\.1)), [Int64.max])
        }
    }

    func testOptionalsBindNull() throws {
        try queue().write { db in
            try RawStatement.with(db, "INSERT INTO t(a, b) VALUES (?, ?)") { insert in
                insert.bind(1, nil as String?); insert.bind(2, nil as Int?)
                try insert.execute()
            }
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM t WHERE a IS NULL AND b IS NULL"), 1)
        }
    }

    /// A failing step throws GRDB's error with SQLite's message, and the statement runs again after.
    func testAFailureThrowsAndTheStatementStaysUsable() throws {
        try queue().write { db in
            try db.execute(sql: "CREATE UNIQUE INDEX t_a ON t(a)")
            let insert = "INSERT INTO t(a) VALUES (?)"
            try RawStatement.with(db, insert) { $0.bind(1, "once"); try $0.execute() }
            XCTAssertThrowsError(try RawStatement.with(db, insert) { $0.bind(1, "once"); try $0.execute() }) { error in
                let error = error as? DatabaseError
                XCTAssertEqual(error?.resultCode, .SQLITE_CONSTRAINT)
                XCTAssertTrue(error?.message?.contains("UNIQUE") == true, "\(String(describing: error))")
            }
            try RawStatement.with(db, insert) { $0.bind(1, "twice"); try $0.execute() }
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT a FROM t ORDER BY a"), ["once", "twice"])
        }
    }

    /// After `with`, the statement holds no open read and no copy of the text it was bound to.
    func testWithLeavesTheStatementResetAndUnbound() throws {
        try queue().write { db in
            try db.execute(sql: "INSERT INTO t(a) VALUES ('one'), ('two')")
            let sql = "SELECT a FROM t WHERE a <> ?"
            let first = try RawStatement.with(db, sql) { select in
                select.bind(1, "secret")
                return try select.step() ? select.text(0) : nil
            }
            XCTAssertEqual(first, "one")
            let statement = try db.cachedStatement(sql: sql)
            XCTAssertEqual(sqlite3_stmt_busy(statement.sqliteStatement), 0, "a read is left open")
            let expanded = sqlite3_expanded_sql(statement.sqliteStatement).map { pointer in
                defer { sqlite3_free(pointer) }
                return String(cString: pointer)
            }
            XCTAssertEqual(expanded, "SELECT a FROM t WHERE a <> NULL", "the text is still bound")
        }
    }
}
