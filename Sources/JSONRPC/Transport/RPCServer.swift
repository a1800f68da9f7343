#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Serves one `RPCService` over any number of transports, tracks connections, enforces the
/// connection limit and shuts down gracefully.
public final class RPCServer<Service: RPCService>: Sendable {
    /// The application.
    public let service: Service
    /// The event loops.
    public let group: MultiThreadedEventLoopGroup
    /// Where blocking handlers run.
    public let threadPool: NIOThreadPool
    let logger: Logger
    /// Most notifications a connection may have waiting (see `RPCConnection.notify`).
    public let maxQueuedNotifications: Int
    private let state = NIOLockedValueBox(State())

    private struct State {
        var nextNumber = 1
        var connections: [Int: any Channel] = [:]
        var listeners: [(channel: any Channel, path: String?)] = []
        var shuttingDown = false
        var refusing = 0
    }

    /// Over-limit connections that may wait for their first bytes at once; more are refused at once.
    static var maxWaitingRefusals: Int { 64 }

    /// A server on `group`, running blocking work on `threadPool`.
    public init(service: Service, group: MultiThreadedEventLoopGroup, threadPool: NIOThreadPool,
                logger: Logger, maxQueuedNotifications: Int = 10_000) {
        self.service = service; self.group = group; self.threadPool = threadPool
        self.logger = logger; self.maxQueuedNotifications = maxQueuedNotifications
    }

    /// Open connections right now.
    public var connectionCount: Int { state.withLockedValue { $0.connections.count } }

    /// Installs the framing decoder and the RPC handler on a new channel, or refuses it when over
    /// the connection limit. `framed: false` skips the decoder: the caller has already installed a
    /// handler that emits `InboundFrame`s and frames outbound buffers (the WebSocket bridge).
    func adopt(_ channel: any Channel, transport: String, framed: Bool = true) -> EventLoopFuture<Void> {
        let limits = service.dispatcher.limits
        let (admitted, closing): (Int?, Bool) = state.withLockedValue { s in
            guard !s.shuttingDown, s.connections.count < limits.maxConnections else { return (nil, s.shuttingDown) }
            let n = s.nextNumber
            s.nextNumber += 1
            s.connections[n] = channel
            return (n, false)
        }
        guard let number = admitted else {
            let reason = closing ? "shutting down" : "too many connections (limit \(limits.maxConnections))"
            let reply = Reply.failure(id: .null, error: .busy(reason))
            // Wait for the first bytes (at most the idle timeout) to answer in the client's framing;
            // WebSocket messages need no framing, and a flood of waiting refusals is not held.
            let waits = framed && state.withLockedValue { s in
                guard s.refusing < Self.maxWaitingRefusals else { return false }
                s.refusing += 1
                return true
            }
            if waits {
                channel.closeFuture.whenComplete { [self] _ in state.withLockedValue { $0.refusing -= 1 } }
            }
            let wait: TimeAmount? = waits ? .seconds(Int64(limits.idleTimeoutSeconds)) : nil
            return channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(RefuseHandler(reply: reply, wait: wait))
            }
        }
        channel.closeFuture.whenComplete { [self] _ in
            _ = state.withLockedValue { $0.connections.removeValue(forKey: number) }
        }
        let connection = RPCConnection(transport: transport, number: number, channel: channel,
                                       maxQueued: maxQueuedNotifications)
        return channel.eventLoop.makeCompletedFuture {
            let sync = channel.pipeline.syncOperations
            if framed { try sync.addHandler(ByteToMessageHandler(FramingDetector(maxBytes: limits.maxMessageBytes))) }
            try sync.addHandler(RPCChannelHandler(service: service, connection: connection,
                                                  threadPool: threadPool, logger: logger))
        }
    }

    /// Listens on a Unix socket at `path` (directory 0700, socket 0600, same-uid peers only).
    public func listen(unixSocket path: String) throws {
        if let note = try SocketPath.prepare(path) { logger.info("\(note)") }
        let myUID = getuid()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.writeBufferWaterMark, value: RPCWriteBuffer.waterMark)
            .childChannelInitializer { [self] channel in
                PeerCredentials.of(channel).flatMap { peer in
                    guard let peer else {
                        // Fail closed: a peer we cannot identify is not known to be us.
                        self.logger.warning("refused a connection: the peer's credentials cannot be read")
                        return channel.close()
                    }
                    guard PeerCredentials.admits(peer, uid: myUID) else {
                        self.logger.warning("refused a connection from uid \(peer.uid) (pid \(peer.pid))")
                        return channel.close()
                    }
                    return self.adopt(channel, transport: "socket")
                }
            }
        let old = umask(0o177)
        defer { umask(old) }
        let channel = try bootstrap.bind(unixDomainSocketPath: path).wait()
        chmod(path, 0o600)
        addListener(channel, path: path)
        logger.info("listening on \(path)")
    }

    /// Registers a listening channel so `shutdown` closes it (and removes `path`, when given).
    func addListener(_ channel: any Channel, path: String?) {
        state.withLockedValue { $0.listeners.append((channel, path)) }
    }

    /// Serves the pipe channel `channel` (stdio).
    public func serve(pipe channel: any Channel) -> EventLoopFuture<Void> {
        adopt(channel, transport: "stdio")
    }

    /// Stops accepting, lets every connection finish the requests it has received, closes them and
    /// removes socket files. Completes when all are closed (or after `grace`).
    public func shutdown(grace: TimeAmount = .seconds(10)) {
        let (listeners, connections) = state.withLockedValue { s in
            s.shuttingDown = true
            return (s.listeners, Array(s.connections.values))
        }
        for (channel, path) in listeners {
            try? channel.close().wait()
            if let path { unlink(path) }
        }
        for channel in connections {
            channel.pipeline.fireUserInboundEventTriggered(ShutdownRequest())
        }
        let deadline = NIODeadline.now() + grace
        for channel in connections {
            let loop = channel.eventLoop
            let timeout = loop.scheduleTask(deadline: deadline) { channel.close(promise: nil) }
            try? channel.closeFuture.wait()
            timeout.cancel()
        }
    }
}

/// The outbound buffer bounds every RPC channel uses: above `high` the channel is not writable, so
/// `RPCChannelHandler` stops running work and reading until the peer has taken its replies.
public enum RPCWriteBuffer {
    /// 64 KiB low, 256 KiB high.
    public static let waterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 64 << 10, high: 256 << 10)
}
