import JSONRPC
import Workbook

extension ChangeHub {
    /// Why a subscription ended, as sent in `workbook.subscriptionDropped.reason`.
    enum DropReason: String {
        /// More than the connection's queue cap waited unsent.
        case queueFull
        /// The database was replaced (restored): its cursors mean nothing any more.
        case databaseReplaced
    }

    /// On the queue: sends `id` its next catch-up page (forced past the queue cap) and comes back
    /// once that page is flushed; with nothing left the subscriber goes live. Changes committed
    /// meanwhile are in a later page: a wake pass skips a subscriber that is catching up.
    func catchUp(_ id: String) {
        guard let sub = state.withLockedValue({ $0.subscribers[id] }), sub.phase == .catchingUp(inFlight: false),
              let log = logState() else { return }
        if isReplaced(sub, log) { return drop(id, reason: .databaseReplaced) }
        let page: ChangesPage
        do { page = try store.changesList(ChangesListParams(since: sub.lastSent, limit: Self.pageSize)) } catch {
            logger.error("reading the change log failed: \(error)")
            return
        }
        guard let last = page.changes.last else {
            state.withLockedValue { $0.subscribers[id]?.phase = .live }
            return
        }
        state.withLockedValue { $0.subscribers[id]?.phase = .catchingUp(inFlight: true) }
        for change in page.changes {
            let isLast = change.cursor == last.cursor
            let flushed: (@Sendable () -> Void)? = isLast ? { @Sendable [weak self] in self?.pageFlushed(id) } : nil
            guard let body = try? JSONCoding.encode(change) else {
                logger.error("cannot encode change \(change.cursor)")
                if isLast { pageFlushed(id) }
                continue
            }
            guard send(change, body: body, to: id, forced: true, onFlushed: flushed) else { return }
        }
    }

    private func pageFlushed(_ id: String) {
        queue.async { [self] in
            state.withLockedValue { s in
                if s.subscribers[id]?.phase == .catchingUp(inFlight: true) { s.subscribers[id]?.phase = .catchingUp(inFlight: false) }
            }
            catchUp(id)
        }
    }

    /// On the queue: sends each live subscriber the changes after its own cursor (refused past the
    /// queue cap, which drops it); first drops those whose database was replaced.
    func deliverLive() {
        let live = state.withLockedValue { s in s.subscribers.filter { $0.value.phase == .live } }
        guard !live.isEmpty, let log = logState() else { return }
        var receivers: [String] = []
        for (id, sub) in live {
            if isReplaced(sub, log) { drop(id, reason: .databaseReplaced) } else { receivers.append(id) }
        }
        guard var since = receivers.compactMap({ live[$0]?.lastSent }).min() else { return }
        while true {
            let page: ChangesPage
            do { page = try store.changesList(ChangesListParams(since: since, limit: Self.pageSize)) } catch {
                logger.error("reading the change log failed: \(error)")
                return
            }
            for change in page.changes {
                guard let body = try? JSONCoding.encode(change) else { continue }
                for id in receivers { send(change, body: body, to: id, forced: false, onFlushed: nil) }
            }
            if page.changes.count < Self.pageSize { return }
            since = page.cursor
        }
    }

    private func logState() -> ChangeLogState? {
        do { return try store.changeLogState() } catch {
            logger.error("reading the change log failed: \(error)")
            return nil
        }
    }

    /// True when the file now holds another database, or a log that no longer reaches our cursor.
    private func isReplaced(_ sub: Subscriber, _ log: ChangeLogState) -> Bool {
        sub.databaseId != log.databaseId || log.head < sub.lastSent
    }

    /// Sends `change` to `id` unless it already had it; false when refused (then `id` is dropped).
    /// The write is withdrawn when `unsubscribe` comes first, checked on the connection's event loop.
    @discardableResult
    private func send(_ change: Change, body: [UInt8], to id: String, forced: Bool,
                      onFlushed: (@Sendable () -> Void)?) -> Bool {
        guard let sub = state.withLockedValue({ $0.subscribers[id] }) else { return false }
        guard change.cursor > sub.lastSent else { return true }
        var params = Array(#"{"subscriptionId":"#.utf8) + JSONScanner.quote(id)
        params += #","change":"#.utf8 + body + [UInt8(ascii: "}")]
        let cancelled = sub.cancelled
        if sub.connection.notify(method: "workbook.changed", params: params, force: forced,
                                 unless: { cancelled.withLockedValue { $0 } }, onFlushed: onFlushed) {
            state.withLockedValue { $0.subscribers[id]?.lastSent = change.cursor }
            return true
        }
        drop(id, reason: .queueFull)
        return false
    }

    /// Removes `id` and sends it a final `workbook.subscriptionDropped`: after the notifications
    /// already queued, with the cursor to resubscribe from (0 for a replaced database).
    func drop(_ id: String, reason: DropReason) {
        guard let sub = state.withLockedValue({ $0.subscribers.removeValue(forKey: id) }) else { return }
        let cursor: Int64, message: String
        switch reason {
        case .queueFull:
            cursor = sub.lastSent
            message = "the client stopped reading: more than \(sub.connection.maxQueued) notifications queued"
        case .databaseReplaced:
            cursor = 0
            message = "the database was replaced (restored from a backup): reload, then resubscribe"
        }
        var params = Array(#"{"subscriptionId":"#.utf8) + JSONScanner.quote(id)
        params += #","cursor":\#(cursor),"reason":"#.utf8 + JSONScanner.quote(reason.rawValue)
        params += #","message":"#.utf8 + JSONScanner.quote(message) + [UInt8(ascii: "}")]
        sub.connection.notify(method: "workbook.subscriptionDropped", params: params, force: true)
        logger.notice("dropped subscription \(id) at cursor \(sub.lastSent): \(message)")
    }
}
