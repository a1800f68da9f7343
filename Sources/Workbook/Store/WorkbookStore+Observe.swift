import GRDB

/// A running observation; stops when cancelled or released.
public final class ChangeObservation: @unchecked Sendable {
    private var cancellable: AnyDatabaseCancellable?
    init(_ cancellable: AnyDatabaseCancellable) { self.cancellable = cancellable }
    /// Stops observing.
    public func cancel() { cancellable?.cancel(); cancellable = nil }
}

extension WorkbookStore {
    /// Calls `onCommit` after every transaction of this process that appended to the change log.
    /// (Other processes' commits are seen through the file watcher on the WAL.)
    public func observeChangeLog(_ onCommit: @escaping @Sendable () -> Void) -> ChangeObservation {
        let observation = DatabaseRegionObservation(tracking: Table("changes"))
        return ChangeObservation(observation.start(in: writer, onError: { _ in }, onChange: { _ in onCommit() }))
    }
}
