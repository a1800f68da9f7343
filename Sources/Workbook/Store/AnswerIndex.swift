import GRDB

/// Keeps `answers_fts` (FTS5, external content `answers`) in step with the answers' texts, once
/// per transaction instead of per row (the insert and update triggers were dropped in migration v2).
///
/// FTS5 buffers a transaction's index changes in memory, but flushes them to a new segment whenever
/// a change's rowid is not above the previous one's, and at every savepoint. Row by row (the old
/// triggers), a `saveMany` whose prompts are not in rowid order flushed at nearly every row: about
/// 42 µs per answer in a 100-answer transaction, against 6.4 µs with each rowid's change coalesced
/// and applied in rowid order, removals first (sqlite3 from Python on a copy of the 20k database).
///
/// Changes are recorded as rows are written and applied by `apply` before the transaction commits.
/// Only the writer connection touches it, one transaction at a time.
public final class AnswerIndex: @unchecked Sendable {
    /// In write order; `old` is the text indexed before the change, nil for a new row.
    private var changes: [(rowid: Int64, old: String?, new: String)] = []

    /// Records that row `rowid` now holds `new` (and held `old`, nil for a new row).
    func record(rowid: Int64, old: String?, new: String) {
        changes.append((rowid, old, new))
    }

    /// Where a savepoint began (see `discard(after:)`).
    var mark: Int { changes.count }

    /// Forgets the changes recorded after `mark` (their savepoint was rolled back).
    func discard(after mark: Int) { changes.removeLast(changes.count - min(mark, changes.count)) }

    /// Forgets everything recorded (the transaction was rolled back).
    func reset() { changes.removeAll() }

    /// Applies every recorded change, each rowid once (its first old text out, its last new text in),
    /// in rowid order, all removals before all additions, inside the caller's transaction.
    func apply(_ db: Database) throws {
        defer { changes.removeAll() }
        try Self.apply(changes, db)
    }

    /// The same for a list of (rowid, old, new) in write order (also used by the benchmark's floor).
    public static func apply(_ changes: [(rowid: Int64, old: String?, new: String)], _ db: Database) throws {
        guard !changes.isEmpty else { return }
        var net: [Int64: (old: String?, new: String)] = [:]
        for change in changes {
            // Spelled out: `net[rowid]?.old ?? change.old` would flatten a first change's nil (a new
            // row) and 'delete' a text that was never indexed, which corrupts FTS5's index.
            if let first = net[change.rowid] {
                net[change.rowid] = (first.old, change.new)
            } else {
                net[change.rowid] = (change.old, change.new)
            }
        }
        let rowids = net.keys.sorted()
        try RawStatement.with(db, "INSERT INTO answers_fts(answers_fts, rowid, text) VALUES ('delete', ?, ?)") { remove in
            for rowid in rowids {
                guard let (old, new) = net[rowid], let old, old != new else { continue }
                remove.bind(1, rowid); remove.bind(2, old)
                try remove.execute()
                remove.reset()
            }
        }
        try RawStatement.with(db, "INSERT INTO answers_fts(rowid, text) VALUES (?, ?)") { add in
            for rowid in rowids {
                guard let (old, new) = net[rowid], old != new else { continue }
                add.bind(1, rowid); add.bind(2, new)
                try add.execute()
                add.reset()
            }
        }
    }
}
