import Foundation

/// A running observation; stops when cancelled or released.
public final class ChangeObservation: @unchecked Sendable {
    private var stop: (() -> Void)?
    init(stop: @escaping () -> Void) { self.stop = stop }
    deinit { stop?() }
    /// Stops observing.
    public func cancel() { stop?(); stop = nil }
}

/// The callbacks run after each of a store's committed writes (shared by copies of the store).
///
/// Called by `WorkbookStore.write` itself rather than through a GRDB observation: a GRDB
/// transaction observer installs SQLite's update hook, which calls into Swift for every row a
/// save changes, FTS5's shadow rows included (about 5% of a save's CPU in a profile).
final class CommitListeners: @unchecked Sendable {
    private let lock = NSLock()
    private var listeners: [Int: @Sendable () -> Void] = [:]
    private var nextID = 0

    func add(_ listener: @escaping @Sendable () -> Void) -> ChangeObservation {
        let id = lock.withLock { () -> Int in
            nextID += 1
            listeners[nextID] = listener
            return nextID
        }
        return ChangeObservation { [weak self] in self?.lock.withLock { _ = self?.listeners.removeValue(forKey: id) } }
    }

    func committed() {
        let current = lock.withLock { listeners.isEmpty ? [] : Array(listeners.values) }
        for listener in current { listener() }
    }
}

extension WorkbookStore {
    /// Calls `onCommit` after every write transaction of this store (each one that appended to the
    /// change log among them). Other processes' commits are seen through the file watcher on the WAL.
    public func observeChangeLog(_ onCommit: @escaping @Sendable () -> Void) -> ChangeObservation {
        commitListeners.add(onCommit)
    }
}
