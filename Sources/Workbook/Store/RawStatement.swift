import GRDB
import GRDBSQLite

/// One of the connection's cached statements, bound, stepped and read through SQLite's C API.
///
/// For the statements a save runs once per answer (BENCHMARKS.md finding 29). GRDB's
/// `execute(arguments:)` boxes every argument into a `DatabaseValue` array, and `Row` finds a column
/// by lowercasing its name at every access: about a fifth of a `saveMany`'s writer-thread time.
/// Only for plain reads and row writes inside a transaction GRDB opened: no transaction control, no
/// schema change, nothing a GRDB transaction observer would need to see (the store has none).
struct RawStatement {
    private let statement: Statement
    private let handle: OpaquePointer
    private let db: Database

    /// Runs `body` with the cached statement for `sql`, and resets it and clears its bindings
    /// afterwards (no read left open, no copy of an answer's text left bound), error or not.
    static func with<T>(_ db: Database, _ sql: String, _ body: (RawStatement) throws -> T) throws -> T {
        let raw = RawStatement(statement: try db.cachedStatement(sql: sql), db: db)
        defer {
            raw.reset()
            sqlite3_clear_bindings(raw.handle)
        }
        return try body(raw)
    }

    private init(statement: Statement, db: Database) {
        self.statement = statement
        self.handle = statement.sqliteStatement
        self.db = db
    }

    /// Binds parameter `index` (1-based) to a copy of `text` (SQLite copies it).
    func bind(_ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { (bytes: UnsafeBufferPointer<UInt8>) -> Void in
            // An empty buffer may have no address, and a null pointer would bind NULL.
            let raw: UnsafeRawPointer = bytes.baseAddress.map { UnsafeRawPointer($0) } ?? Self.emptyText
            let start: UnsafePointer<CChar> = raw.assumingMemoryBound(to: CChar.self)
            _ = sqlite3_bind_text(handle, index, start, Int32(bytes.count), Self.transient)
        }
    }

    /// Binds parameter `index` to `text`, or NULL.
    func bind(_ index: Int32, _ text: String?) {
        if let text { bind(index, text) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Int) {
        sqlite3_bind_int64(handle, index, Int64(value))
    }

    /// Binds parameter `index` to `value`, or NULL.
    func bind(_ index: Int32, _ value: Int?) {
        if let value { bind(index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    /// Steps once: true when a row is ready to read, false when the statement is done.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    /// Runs a statement that returns no row.
    func execute() throws {
        while try step() {}
    }

    /// Makes the statement ready to run again; bind every parameter afresh after it.
    func reset() { sqlite3_reset(handle) }

    /// Column `index` (0-based) of the current row as text ("" for NULL).
    func text(_ index: Int32) -> String {
        guard let start = sqlite3_column_text(handle, index) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: start, count: Int(sqlite3_column_bytes(handle, index))),
                      as: UTF8.self)
    }

    func int(_ index: Int32) -> Int { Int(sqlite3_column_int64(handle, index)) }

    func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    private static var emptyText: UnsafeRawPointer { UnsafeRawPointer(("" as StaticString).utf8Start) }
    /// `SQLITE_TRANSIENT`, which the C macro defines as a cast of -1.
    private static var transient: sqlite3_destructor_type { unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self) }
}
