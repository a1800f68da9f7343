import NIOConcurrencyHelpers
import NIOCore

/// What a transport needs from the application: a dispatcher and per-connection state.
public protocol RPCService: Sendable {
    /// Per-connection state handed to every handler on that connection.
    associatedtype Context: Sendable
    /// The dispatcher all transports share.
    var dispatcher: Dispatcher<Context> { get }
    /// Called once when a connection opens.
    func open(_ connection: RPCConnection) -> Context
    /// Called once when it closes.
    func close(_ context: Context)
}

/// The application's handle on one connection: identity, framing, and server-to-client messages.
public final class RPCConnection: Sendable {
    /// "stdio", "socket" or "websocket".
    public let transport: String
    /// A process-unique connection number.
    public let number: Int
    private let channel: any Channel
    private let state = NIOLockedValueBox(State())
    /// Most notifications that may wait unsent before `send` refuses.
    public let maxQueued: Int

    private struct State {
        var framing: Framing?
        var queued = 0
        var afterReply: [@Sendable () -> Void] = []
    }

    init(transport: String, number: Int, channel: any Channel, maxQueued: Int) {
        self.transport = transport; self.number = number; self.channel = channel; self.maxQueued = maxQueued
    }

    /// The framing detected on this connection (nil until the first message).
    public var framing: Framing? { state.withLockedValue { $0.framing } }

    func setFraming(_ framing: Framing) { state.withLockedValue { if $0.framing == nil { $0.framing = framing } } }

    /// Notifications written but not yet flushed to the peer.
    public var queuedNotifications: Int { state.withLockedValue { $0.queued } }

    /// Sends a notification; false (and nothing sent) when `maxQueued` are already waiting or the
    /// connection is closed. `force` bypasses the cap (for a final notice). `withdrawn` is asked on
    /// the event loop just before writing, in order with replies: true drops it unsent.
    /// `onFlushed` runs once it is flushed, withdrawn or failed (to pace a sender).
    @discardableResult
    public func notify(method: String, params: [UInt8], force: Bool = false,
                       unless withdrawn: (@Sendable () -> Bool)? = nil,
                       onFlushed: (@Sendable () -> Void)? = nil) -> Bool {
        let accepted = state.withLockedValue { s -> Bool in
            guard force || s.queued < maxQueued else { return false }
            s.queued += 1
            return true
        }
        guard accepted, channel.isActive else {
            if accepted { state.withLockedValue { $0.queued -= 1 } }
            return false
        }
        let body = Reply.notification(method: method, params: params)
        let channel = self.channel
        channel.eventLoop.execute {
            if let withdrawn, withdrawn() {
                self.state.withLockedValue { $0.queued -= 1 }
                onFlushed?()
                return
            }
            let framing = self.framing ?? .ndjson
            var buffer = channel.allocator.buffer(capacity: body.count + 32)
            framing.frame(body, into: &buffer)
            channel.writeAndFlush(buffer).whenComplete { _ in
                self.state.withLockedValue { $0.queued -= 1 }
                onFlushed?()
            }
        }
        return true
    }

    /// Runs `action` once the reply to the request being handled now has been written (e.g. to
    /// start notifications that must not overtake that reply).
    public func afterReply(_ action: @escaping @Sendable () -> Void) {
        state.withLockedValue { $0.afterReply.append(action) }
    }

    /// Takes the actions registered by `afterReply`.
    func takeAfterReplyActions() -> [@Sendable () -> Void] {
        state.withLockedValue { s in
            defer { s.afterReply = [] }
            return s.afterReply
        }
    }

    /// Closes the connection.
    public func close() { channel.close(promise: nil) }
}
