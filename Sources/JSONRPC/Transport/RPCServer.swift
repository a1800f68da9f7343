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
    }

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
        let admitted: Int? = state.withLockedValue { s in
            guard !s.shuttingDown, s.connections.count < limits.maxConnections else { return nil }
            let n = s.nextNumber
            s.nextNumber += 1
            s.connections[n] = channel
            return n
        }
        guard let number = admitted else {
            let reply = Reply.failure(id: .null, error: .busy("too many connections (limit \(limits.maxConnections))"))
            return channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(RefuseHandler(reply: reply))
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
        try SocketPath.prepare(path)
        let myUID = getuid()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { [self] channel in
                PeerCredentials.of(channel).flatMap { peer in
                    if let peer, peer.uid != myUID {
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

/// Answers a connection over the limit with one -32002 error (NDJSON), then closes it.
final class RefuseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let reply: [UInt8]

    init(reply: [UInt8]) { self.reply = reply }

    func channelActive(context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: reply.count + 1)
        Framing.ndjson.frame(reply, into: &buffer)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { channelActive(context: context) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
