import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Requests and notification fields for the live-update tests.
public enum LiveRPC {
    /// One NDJSON request line.
    public static func request(_ id: Int, _ method: String, _ params: String = "{}") -> [UInt8] {
        Frames.ndjson(Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#.utf8))
    }

    /// The `change` of a `workbook.changed` notification; nil for any other message.
    public static func change(_ message: [String: Any]) -> [String: Any]? {
        guard message["method"] as? String == "workbook.changed" else { return nil }
        return (message["params"] as? [String: Any])?["change"] as? [String: Any]
    }

    /// The cursors of the `workbook.changed` notifications among `messages`, in order.
    public static func cursors(_ messages: [[String: Any]]) -> [Int] {
        messages.compactMap { change($0)?["cursor"] as? Int }
    }
}

/// What `RawSocket.messages(within:until:)` saw.
public struct LiveRead {
    /// Every message read, in order (the matching one last when `matched`).
    public var messages: [[String: Any]]
    /// False when the deadline passed or the peer closed before a message matched.
    public var matched: Bool
}

extension RawSocket {
    /// Sets the receive timeout, so a read gives up instead of blocking.
    public func setReceiveTimeout(_ seconds: TimeInterval) {
        let whole = Int(seconds)
        var timeout = timeval(tv_sec: whole, tv_usec: Int(max(1000, (seconds - Double(whole)) * 1_000_000)))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The next NDJSON message parsed as an object; nil when none is complete by `deadline` or at EOF.
    public func readObject(before deadline: Date) -> [String: Any]? {
        defer { setReceiveTimeout(20) }
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return nil }
            setReceiveTimeout(remaining)
            guard let body = readMessage(headers: false) else { return nil }
            if let object = JSONMatch.parse(body) as? [String: Any] { return object }
        }
    }

    /// Reads NDJSON messages until `predicate` holds for one, giving up after `seconds`.
    public func messages(within seconds: TimeInterval, until predicate: ([String: Any]) -> Bool) -> LiveRead {
        let deadline = Date(timeIntervalSinceNow: seconds)
        var seen: [[String: Any]] = []
        while let object = readObject(before: deadline) {
            seen.append(object)
            if predicate(object) { return LiveRead(messages: seen, matched: true) }
        }
        return LiveRead(messages: seen, matched: false)
    }
}
