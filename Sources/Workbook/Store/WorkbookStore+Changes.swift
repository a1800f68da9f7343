import Foundation
import GRDB

/// Which database a change log belongs to, and how far it goes.
public struct ChangeLogState: Sendable, Equatable {
    /// `meta.databaseId`: another value means cursors seen before are void.
    public var databaseId: String
    /// The newest cursor ever assigned (0 when the log is empty).
    public var head: Int64

    /// Memberwise initializer.
    public init(databaseId: String, head: Int64) { self.databaseId = databaseId; self.head = head }
}

extension WorkbookStore {
    /// `changes.list`: changes after `since` (default 0) in cursor order, at most `limit` (default 100,
    /// larger values capped at 1000); `cursor` is the last returned one, or `since` when none.
    public func changesList(_ params: ChangesListParams) throws(WorkbookError) -> ChangesPage {
        let since = params.since ?? 0
        if since < 0 { throw .invalidArgument(field: "since", reason: "must be >= 0") }
        let limit = try Self.limit(params.limit, default: 100, max: 1000)
        let changes = try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Rows.changeColumns) FROM changes WHERE cursor > ? ORDER BY cursor LIMIT ?",
                             arguments: [since, limit]).map(Rows.change)
        }
        return ChangesPage(changes: changes, cursor: changes.last?.cursor ?? since)
    }

    /// The newest cursor ever assigned (0 when the log is empty).
    public func headCursor() throws(WorkbookError) -> Int64 {
        try read { db in
            try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'changes'") ?? 0
        }
    }

    /// The database id and head cursor, read together (one snapshot).
    public func changeLogState() throws(WorkbookError) -> ChangeLogState {
        try read { db in
            ChangeLogState(databaseId: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'databaseId'") ?? "",
                           head: try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'changes'") ?? 0)
        }
    }

    /// Validates an optional `limit`: at least 1, capped at `max`.
    static func limit(_ value: Int?, default fallback: Int, max: Int) throws(WorkbookError) -> Int {
        guard let value else { return fallback }
        if value < 1 { throw .invalidArgument(field: "limit", reason: "must be >= 1") }
        return Swift.min(value, max)
    }
}
