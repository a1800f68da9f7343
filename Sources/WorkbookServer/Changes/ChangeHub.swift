import Foundation
import JSONRPC
import Logging
import NIOConcurrencyHelpers
import Workbook

/// Fans the change log out to subscribers, in cursor order, none missing, none repeated. Woken by
/// this process's commits (a GRDB observation) and by other processes' (inotify on the WAL file);
/// all delivery runs on one serial queue.
public final class ChangeHub: Sendable {
    private let store: WorkbookStore
    private let logger: Logger
    private let queue = DispatchQueue(label: "workbook.changes")
    private let state = NIOLockedValueBox(State())
    private let wakeScheduled = NIOLockedValueBox(false)

    private struct Subscriber {
        let connection: RPCConnection
        var lastSent: Int64
        var active: Bool
    }

    private struct State {
        var nextID = 1
        var subscribers: [String: Subscriber] = [:]
        var observation: ChangeObservation?
        var watcher: FileWatcher?
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
        let head = try store.headCursor()
        if let since {
            guard since >= 0 else { throw RPCError.invalidParams("'since' must not be negative", field: "since") }
            guard since <= head else {
                throw RPCError.invalidParams("'since' (\(since)) is past the head of the change log (\(head))", field: "since")
            }
        }
        let id = state.withLockedValue { s -> String in
            let id = "s\(s.nextID)"
            s.nextID += 1
            s.subscribers[id] = Subscriber(connection: connection, lastSent: since ?? head, active: false)
            return id
        }
        return (id, head)
    }

    /// Starts delivery to `id`: first everything after its cursor (catch-up), then live changes.
    func activate(_ id: String) {
        queue.async { [self] in deliver(catchUp: id) }
    }

    /// Removes `id` (it must belong to `connection`).
    func unsubscribe(_ id: String, connection: RPCConnection) -> Bool {
        state.withLockedValue { s in
            guard let sub = s.subscribers[id], sub.connection === connection else { return false }
            s.subscribers.removeValue(forKey: id)
            return true
        }
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
            deliver(catchUp: nil)
        }
    }

    /// On the queue: sends each subscriber the changes after its own cursor. `catchUp` activates
    /// that subscriber first; its backlog is forced past the queue cap, as PROTOCOL.md allows.
    private func deliver(catchUp: String?) {
        let subscribers = state.withLockedValue { s -> [(String, Subscriber)] in
            if let catchUp { s.subscribers[catchUp]?.active = true }
            return s.subscribers.filter { $0.value.active }.map { ($0.key, $0.value) }
        }
        guard let low = subscribers.map(\.1.lastSent).min() else { return }
        var since = low
        while true {
            let page: ChangesPage
            do { page = try store.changesList(ChangesListParams(since: since, limit: 1000)) } catch {
                logger.error("reading the change log failed: \(error)")
                return
            }
            if page.changes.isEmpty { break }
            for change in page.changes {
                guard let body = try? JSONCoding.encode(change) else { continue }
                for (id, _) in subscribers {
                    send(change: change, body: body, to: id, forced: id == catchUp)
                }
            }
            since = page.cursor
        }
    }

    private func send(change: Change, body: [UInt8], to id: String, forced: Bool) {
        guard let sub = state.withLockedValue({ $0.subscribers[id] }), change.cursor > sub.lastSent else { return }
        var params = Array(#"{"subscriptionId":"#.utf8) + JSONScanner.quote(id)
        params += #","change":"#.utf8 + body + [UInt8(ascii: "}")]
        if sub.connection.notify(method: "workbook.changed", params: params, force: forced) {
            state.withLockedValue { $0.subscribers[id]?.lastSent = change.cursor }
            return
        }
        // The subscriber stopped reading: drop it with a final notice carrying its last cursor.
        _ = state.withLockedValue { $0.subscribers.removeValue(forKey: id) }
        let reason = "the client stopped reading: more than \(sub.connection.maxQueued) notifications queued"
        var dropped = Array(#"{"subscriptionId":"#.utf8) + JSONScanner.quote(id)
        dropped += #","cursor":\#(sub.lastSent),"reason":"#.utf8 + JSONScanner.quote(reason) + [UInt8(ascii: "}")]
        sub.connection.notify(method: "workbook.subscriptionDropped", params: dropped, force: true)
        logger.notice("dropped subscription \(id) at cursor \(sub.lastSent): \(reason)")
    }
}
