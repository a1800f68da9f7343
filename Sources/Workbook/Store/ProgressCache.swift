import Foundation
import GRDB

/// `progress.get` results, reused while nothing was committed to the database. A connection's
/// `PRAGMA data_version` changes whenever another connection commits (this process's writer,
/// another process, a restore), so the cache keeps one connection of its own that never writes:
/// any commit at all changes its version. A shell prompt asking on every keystroke between
/// two saves then costs one pragma instead of a pooled read, two queries and the assembly.
///
/// A result is stored under the version read *before* it was computed: a commit landing in between
/// makes the next call compute again, never serve something older than what was committed.
final class ProgressCache: @unchecked Sendable {
    private struct Entry {
        let dataVersion: Int64
        let workbookId: String?
        let passId: String?
        let progress: Progress
    }

    /// Opened with the pool, so both refer to the same file even if the path is later replaced.
    private let probe: DatabaseQueue
    private let lock = NSLock()
    private var entries: [Entry] = []
    private var hitCount = 0
    /// The most (workbook, pass) pairs kept.
    let capacity: Int

    init(path: String, configuration: Configuration, capacity: Int = 16) throws {
        var config = configuration
        config.label = "progress-cache"
        // Writable (unless the store is read-only) though it never writes: if it closes last, it is
        // the one that checkpoints and removes the WAL, as the pool's last connection would.
        probe = try DatabaseQueue(path: path, configuration: config)
        self.capacity = capacity
    }

    /// Results served from the cache so far (tests).
    var hits: Int { lock.withLock { hitCount } }

    /// The probe connection's data version now (it changes with every commit of any other connection).
    func dataVersion() throws -> Int64 {
        try probe.inDatabase { db in try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0 }
    }

    /// The result stored at `dataVersion` for these params, if any.
    func lookup(dataVersion: Int64, workbookId: String?, passId: String?) -> Progress? {
        lock.withLock {
            guard let entry = entries.first(where: { $0.workbookId == workbookId && $0.passId == passId }),
                  entry.dataVersion == dataVersion else { return nil }
            hitCount += 1
            return entry.progress
        }
    }

    /// Keeps `progress` for these params, computed after `dataVersion` was read.
    func store(_ progress: Progress, dataVersion: Int64, workbookId: String?, passId: String?) {
        lock.withLock {
            entries.removeAll { $0.dataVersion != dataVersion || ($0.workbookId == workbookId && $0.passId == passId) }
            if entries.count >= capacity { entries.removeFirst() }
            entries.append(Entry(dataVersion: dataVersion, workbookId: workbookId, passId: passId, progress: progress))
        }
    }
}
