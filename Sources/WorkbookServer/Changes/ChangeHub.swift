import Foundation
import JSONRPC
import Logging
import NIOConcurrencyHelpers
import Workbook

/// Fans the change log out to subscribers, in cursor order, none missing, none repeated. Woken by
/// this process's commits (`WorkbookStore.observeChangeLog`) and, while anyone is subscribed, by
/// other processes' (inotify on the WAL file); all delivery runs on one serial queue. A new subscriber catches up one page at a time, the next
/// page only once the last is flushed, so a client that does not read holds at most a page here.
public final class ChangeHub: Sendable {
    let store: WorkbookStore
    let logger: Logger
    let queue = DispatchQueue(label: "workbook.changes")
    let state = NIOLockedValueBox(State())
    private let wakeScheduled = NIOLockedValueBox(false)
    /// Changes read at a time; in catch-up, also the most sent before waiting for a flush.
    static let pageSize = 1000

    struct Subscriber {
        let connection: RPCConnection
        /// The database its cursors belong to (a restore gives the file another one).
        let databaseId: String
        /// Set by `unsubscribe`: notifications not yet written are then withdrawn.
        let cancelled = NIOLockedValueBox(false)
        var lastSent: Int64
        var phase: Phase
    }

    enum Phase: Equatable {
        /// Registered; waits until the subscribe reply is out.
        case paused
        /// Sending the backlog; `inFlight` while a page waits to be flushed.
        case catchingUp(inFlight: Bool)
        /// Caught up: gets each new change, within the connection's queue cap.
        case live
    }

    struct State {
        var nextID = 1
        /// The WAL is watched only while someone is subscribed: unwatched, a save's dozens of frame
        /// writes wake no thread here (a subscriber's catch-up reads whatever it missed).
        var subscribers: [String: Subscriber] = [:] { didSet { watcher?.setActive(!subscribers.isEmpty) } }
        var observation: ChangeObservation?
        var watcher: FileWatcher? { didSet { watcher?.setActive(!subscribers.isEmpty) } }
    }

    /// A hub over `store`; call `start()` to begin watching.
    public init(store: WorkbookStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Starts the commit observation and, for a file database, the WAL watcher.
    public func start() {
        let observation = store.observeChangeLog { [weak self] in self?.wake() }
        var watcher: FileWatcher?
        if let path = store.path {
            let url = URL(fileURLWithPath: path)
            watcher = FileWatcher(directory: url.deletingLastPathComponent().path,
                                  fileName: url.lastPathComponent + "-wal", logger: logger) { [weak self] in self?.wake() }
        }
        state.withLockedValue { $0.observation = observation; $0.watcher = watcher }
    }

    /// Registers a subscriber (paused until `activate`, so nothing overtakes the subscribe reply).
    func subscribe(_ connection: RPCConnection, since: Int64?) throws -> (id: String, cursor: Int64) {
        let log = try store.changeLogState()
        if let since {
            guard since >= 0 else { throw RPCError.invalidParams("'since' must not be negative", field: "since") }
            guard since <= log.head else {
                throw RPCError.invalidParams("'since' (\(since)) is past the head of the change log (\(log.head))", field: "since")
            }
        }
        let id = state.withLockedValue { s -> String in
            let id = "s\(s.nextID)"
            s.nextID += 1
            s.subscribers[id] = Subscriber(connection: connection, databaseId: log.databaseId,
                                           lastSent: since ?? log.head, phase: .paused)
            return id
        }
        return (id, log.head)
    }

    /// Starts delivery to `id`: first everything after its cursor (catch-up), then live changes.
    func activate(_ id: String) {
        queue.async { [self] in
            state.withLockedValue { s in
                if s.subscribers[id]?.phase == .paused { s.subscribers[id]?.phase = .catchingUp(inFlight: false) }
            }
            catchUp(id)
        }
    }

    /// Removes `id` (it must belong to `connection`). Called while handling `unsubscribe`, before
    /// its reply is written: notifications still waiting are withdrawn, so none follows the reply.
    func unsubscribe(_ id: String, connection: RPCConnection) -> Bool {
        let removed = state.withLockedValue { s -> Subscriber? in
            guard let sub = s.subscribers[id], sub.connection === connection else { return nil }
            return s.subscribers.removeValue(forKey: id)
        }
        removed?.cancelled.withLockedValue { $0 = true }
        return removed != nil
    }

    /// Drops every subscription of a closed connection.
    func remove(_ connection: RPCConnection) {
        state.withLockedValue { s in s.subscribers = s.subscribers.filter { $0.value.connection !== connection } }
    }

    /// Number of live subscriptions.
    public var subscriberCount: Int { state.withLockedValue { $0.subscribers.count } }

    /// Schedules one delivery pass; calls made while one is pending coalesce.
    func wake() {
        let schedule = wakeScheduled.withLockedValue { pending -> Bool in
            if pending { return false }
            pending = true
            return true
        }
        guard schedule else { return }
        queue.async { [self] in
            wakeScheduled.withLockedValue { $0 = false }
            deliverLive()
        }
    }
}
