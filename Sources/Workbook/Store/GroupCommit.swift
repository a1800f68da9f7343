import Foundation
import GRDB

/// Group commit: writes that arrive while another batch is committing share the next transaction,
/// so one fsync makes several of them durable. Each runs in its own savepoint (one failing changes
/// nothing of the others) and each caller returns only after the commit that holds its write.
///
/// One writer thread of its own runs the batches back to back: when a commit ends, the writes that
/// queued meanwhile start at once on the same thread, with no other thread to wake first (the
/// earlier leader/follower scheme handed the lead to a sleeping caller after every commit, which put
/// a wake-up on the critical path). `perform` waits for its write; `submit` takes a completion, so
/// the server's event loop hands a save over without a pool thread waiting for it. The thread
/// starts with the first write and ends after `idleSeconds` without one: an idle store holds none.
final class GroupCommit: @unchecked Sendable {
    private final class Item {
        /// Released on the writer thread once committed (a waiting caller's closure does not escape).
        var body: ((Database) throws -> Void)?
        var error: (any Error)?
        /// Runs on the writer thread after the commit (or the failure) that holds this write.
        let completion: @Sendable ((any Error)?) -> Void
        init(_ body: @escaping (Database) throws -> Void, completion: @escaping @Sendable ((any Error)?) -> Void) {
            self.body = body; self.completion = completion
        }
    }

    /// Thrown if a write ended with neither a result nor an error (not expected to happen).
    struct NoResult: Error {}
    /// Thrown for writes queued after every copy of the store was released (not expected to happen).
    struct StoreClosed: Error {}

    private let condition = NSCondition()
    private var queue: [Item] = []
    private var threadRunning = false
    /// Weak: a store's copies own the connection, and a writer thread waiting out its idle time
    /// must not keep a closed store's database open (its -wal would stay behind).
    private weak var writer: (any DatabaseWriter)?
    /// The most writes one transaction holds.
    let maxBatch: Int
    /// How long the writer thread waits for work before it ends.
    let idleSeconds: TimeInterval
    /// The batch's search index changes, applied once before its commit.
    private let index: AnswerIndex

    /// How long the writer thread looks for the next write before it sleeps. Waking a sleeping thread
    /// costs tens of µs on a VM, and a save crossed two of them; one client saving one answer after
    /// another got ~10 % more saves/s for ~10 % more server CPU per save (BENCHMARKS.md finding 32).
    let spinMicroseconds: Int

    init(writer: any DatabaseWriter, index: AnswerIndex, maxBatch: Int = 64, idleSeconds: TimeInterval = 2,
         spinMicroseconds: Int = 400) {
        self.writer = writer; self.index = index; self.maxBatch = maxBatch; self.idleSeconds = idleSeconds
        self.spinMicroseconds = spinMicroseconds
    }

    /// Writes waiting for their batch to start (tests).
    var queuedCount: Int { condition.withLock { queue.count } }
    /// Whether the writer thread is alive (tests).
    var isThreadRunning: Bool { condition.withLock { threadRunning } }

    /// Runs `body` in a write transaction shared with whatever else is queued; throws its own error,
    /// or the commit's.
    func perform<T>(_ body: (Database) throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { body in
            var result: T?
            let failure = Slot<any Error>(), done = DispatchSemaphore(value: 0)
            submit({ db in result = try body(db) }, completion: { error in failure.value = error; done.signal() })
            done.wait()
            if let error = failure.value { throw error }
            guard let result else { throw NoResult() }
            return result
        }
    }

    /// Queues `body` for the next batch and returns at once; `completion` runs on the writer thread
    /// once that batch is committed (nil) or has failed (the error: `body`'s own, or the commit's).
    func submit(_ body: @escaping (Database) throws -> Void, completion: @escaping @Sendable ((any Error)?) -> Void) {
        condition.withLock {
            queue.append(Item(body, completion: completion))
            if threadRunning {
                condition.signal()
            } else {
                threadRunning = true
                let thread = Thread { [self] in run() }
                thread.name = "group-commit"
                thread.start()
            }
        }
    }

    /// The writer thread: commits what is queued, batch after batch, until idle for `idleSeconds`.
    private func run() {
        while true {
            spinWhileIdle()
            condition.lock()
            while queue.isEmpty {
                if !condition.wait(until: Date(timeIntervalSinceNow: idleSeconds)), queue.isEmpty {
                    threadRunning = false
                    condition.unlock()
                    return
                }
            }
            let batch = Array(queue.prefix(maxBatch))
            queue.removeFirst(batch.count)
            condition.unlock()
            commit(batch)
        }
    }

    /// After a batch, looks for the next write for up to `spinMicroseconds` before sleeping (yielding
    /// the core between looks).
    private func spinWhileIdle() {
        guard spinMicroseconds > 0 else { return }
        let end = DispatchTime.now().uptimeNanoseconds + UInt64(spinMicroseconds) * 1_000
        repeat {
            if condition.withLock({ !queue.isEmpty }) { return }
            sched_yield()
        } while DispatchTime.now().uptimeNanoseconds < end
    }

    /// Commits `batch` in one transaction, then wakes its callers.
    private func commit(_ batch: [Item]) {
        do {
            guard let writer else { throw StoreClosed() }
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
        for item in batch {
            item.body = nil
            item.completion(item.error)
        }
    }
}

/// A value handed from one thread to another (written before the reader is signalled or called).
final class Slot<Value>: @unchecked Sendable {
    var value: Value?
}
