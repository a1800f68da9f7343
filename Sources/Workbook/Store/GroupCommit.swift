import Foundation
import GRDB

/// Group commit: writes that arrive while another is committing share the next transaction, so
/// one fsync makes several of them durable. Each runs in its own savepoint (one failing changes
/// nothing of the others) and each caller returns only after the commit that holds its write.
///
/// Leader and followers, no thread of its own: the first caller with nobody committing leads;
/// the others wait. The leader commits everything queued (up to `maxBatch`), wakes its batch and
/// hands the lead to the oldest caller still waiting. A lone writer leads at once, so a single
/// connection's save waits for nothing extra.
final class GroupCommit: @unchecked Sendable {
    private final class Item {
        /// Released by the leader before it wakes the caller (whose closure does not escape).
        var body: ((Database) throws -> Void)?
        var error: (any Error)?
        /// Guarded by the lock: set before the item's semaphore is signalled.
        var leads = false
        let woken = DispatchSemaphore(value: 0)
        init(_ body: @escaping (Database) throws -> Void) { self.body = body }
    }

    /// Thrown if a write ended with neither a result nor an error (not expected to happen).
    struct NoResult: Error {}

    private let lock = NSLock()
    private var queue: [Item] = []
    private var leading = false
    /// The most writes one transaction holds.
    let maxBatch: Int
    /// The batch's search index changes, applied once before its commit.
    private let index: AnswerIndex

    init(maxBatch: Int = 64, index: AnswerIndex) { self.maxBatch = maxBatch; self.index = index }

    /// Writes waiting for a commit (tests).
    var queuedCount: Int { lock.withLock { queue.count } }

    /// Runs `body` in a write transaction shared with whatever else is queued; throws its own error,
    /// or the commit's.
    func perform<T>(_ writer: any DatabaseWriter, _ body: (Database) throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { body in
            var result: T?
            let item = Item { db in result = try body(db) }
            lock.lock()
            queue.append(item)
            var leads = !leading
            leading = true
            lock.unlock()
            if !leads {
                item.woken.wait()
                lock.lock(); leads = item.leads; lock.unlock()
            }
            if leads { commitBatch(writer) }
            if let error = item.error { throw error }
            guard let result else { throw NoResult() }
            return result
        }
    }

    /// Commits the oldest queued items (the leader is the first of them) in one transaction.
    private func commitBatch(_ writer: any DatabaseWriter) {
        lock.lock()
        let batch = Array(queue.prefix(maxBatch))
        queue.removeFirst(batch.count)
        lock.unlock()
        do {
            try writer.write { db in
                index.reset()
                for item in batch {
                    let mark = index.mark
                    do {
                        try db.inSavepoint { try item.body?(db); return .commit }
                    } catch {
                        index.discard(after: mark)
                        item.error = error
                        // Some errors (disk full, I/O) make SQLite roll back the whole transaction:
                        // the rest must not run outside one, and nothing of it may be acknowledged.
                        if !db.isInsideTransaction { throw error }
                    }
                }
                try index.apply(db)
            }
        } catch {
            for item in batch where item.error == nil { item.error = error }
        }
        for item in batch { item.body = nil }
        lock.lock()
        let next = queue.first
        if let next { next.leads = true } else { leading = false }
        lock.unlock()
        for item in batch.dropFirst() { item.woken.signal() }
        next?.woken.signal()
    }
}
