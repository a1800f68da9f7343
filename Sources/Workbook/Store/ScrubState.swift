import Foundation
import GRDB

/// Whether deleted text may still sit in the -wal file because a reader kept the WAL from being
/// truncated; shared by every copy of a store so the next write retries.
final class ScrubState: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = false

    /// True while a truncate is owed.
    var isPending: Bool { lock.withLock { pending } }

    /// Records whether a truncate is owed.
    func set(_ value: Bool) { lock.withLock { pending = value } }
}

extension WorkbookStore {
    /// The `meta` key recording an owed truncate, so the next process to open the file retries it.
    static let scrubPendingKey = "scrubPending"

    /// After a committed delete: copies the WAL into the main file and truncates it, so deleted text
    /// leaves the -wal file too. Best effort: the delete is committed and stays reported as done. A
    /// reader in another connection can hold the checkpoint back past the busy timeout (which already
    /// waits for it), so it is tried twice; if it still fails, the truncate is owed, recorded in memory
    /// and in `meta`, retried after the next write and at the next open, and a warning (no answer
    /// text) is logged.
    func scrubAfterCommit() {
        guard path != nil else { return }
        for _ in 0..<2 where truncateWAL(waiting: true) {
            finishScrub()
            return
        }
        scrub.set(true)
        _ = try? writer.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", arguments: [Self.scrubPendingKey, timestamp()])
        }
        options.warn("deleted answers are committed, but another connection kept the write-ahead log from being truncated, "
                     + "so the deleted text may stay in \(path ?? "")-wal until the next write or start")
    }

    /// The name the restore path calls: `scrubAfterCommit`, which never throws (restored data is committed too).
    func scrubFiles() throws(WorkbookError) { scrubAfterCommit() }

    /// Retries an owed truncate (after a write, or at open when `meta` records one) without waiting
    /// for readers, so a long reader never slows saves down; quiet on failure.
    func retryScrubIfPending(atOpen: Bool = false) {
        guard path != nil else { return }
        if atOpen {
            let owed = (try? writer.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM meta WHERE key = ?", arguments: [Self.scrubPendingKey]) }) ?? nil
            guard owed == true else { return }
        } else if !scrub.isPending {
            return
        }
        if truncateWAL(waiting: false) { finishScrub() } else { scrub.set(true) }
    }

    /// One TRUNCATE checkpoint, waiting up to the busy timeout for readers or not at all; true when
    /// the whole WAL was copied and the file emptied.
    private func truncateWAL(waiting: Bool) -> Bool {
        let timeout = Int(options.busyTimeout * 1000)
        do {
            return try writer.writeWithoutTransaction { db in
                if !waiting { try db.execute(sql: "PRAGMA busy_timeout = 0") }
                defer { if !waiting { try? db.execute(sql: "PRAGMA busy_timeout = \(timeout)") } }
                let result = try db.checkpoint(.truncate)
                return result.walFrameCount == result.checkpointedFrameCount
            }
        } catch {
            return false
        }
    }

    /// Clears the owed flag, and the `meta` row (no answer text) when there is one.
    private func finishScrub() {
        scrub.set(false)
        let marked = (try? writer.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM meta WHERE key = ?", arguments: [Self.scrubPendingKey]) }) ?? nil
        guard marked == true else { return }
        _ = try? writer.write { db in
            try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [Self.scrubPendingKey])
        }
    }
}
