import Logging
import NIOCore
import NIOPosix

/// Runs one connection: takes frames in order, runs each message (inline or on the thread pool),
/// writes replies in the order received, and closes only when every pending reply is written.
final class RPCChannelHandler<Service: RPCService>: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = InboundFrame
    typealias OutboundOut = ByteBuffer

    private let service: Service
    private let connection: RPCConnection
    private let threadPool: NIOThreadPool
    private let logger: Logger
    private let idleTimeout: TimeAmount
    private var appContext: Service.Context?
    private var queue: [Dispatcher<Service.Context>.Prepared] = []
    private var queueHead = 0
    private var running = false
    private var inputClosed = false
    private var closeAfterDrain = false
    private var idleTask: Scheduled<Void>?

    init(service: Service, connection: RPCConnection, threadPool: NIOThreadPool, logger: Logger) {
        self.service = service
        self.connection = connection
        self.threadPool = threadPool
        self.logger = logger
        self.idleTimeout = .seconds(Int64(service.dispatcher.limits.idleTimeoutSeconds))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        appContext = service.open(connection)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleTask?.cancel()
        if let appContext { service.close(appContext) }
        appContext = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !inputClosed else { return }
        let dispatcher = service.dispatcher
        switch unwrapInboundIn(data) {
        case let .message(buffer, framing):
            connection.setFraming(framing)
            enqueue(dispatcher.prepare(Array(buffer.readableBytesView)), context: context)
        case let .tooLarge(framing):
            connection.setFraming(framing)
            enqueue(dispatcher.prepared(error: .limitExceeded("maxMessageBytes",
                                                               value: dispatcher.limits.maxMessageBytes)),
                    context: context)
        case let .malformedHeader(reason):
            connection.setFraming(.headers)
            inputClosed = true
            closeAfterDrain = true
            enqueue(dispatcher.prepared(error: .parseError("malformed header block: \(reason)")), context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let partial as PartialMessageEvent:
            idleTask?.cancel()
            idleTask = nil
            if partial == .pending {
                idleTask = context.eventLoop.assumeIsolated().scheduleTask(in: idleTimeout) { [weak self] in
                    guard let self else { return }
                    self.logger.info("closing connection \(self.connection.number): partial message idle")
                    context.close(promise: nil)
                }
            }
        case ChannelEvent.inputClosed, is ShutdownRequest:
            inputClosed = true
            closeAfterDrain = true
            closeIfDrained(context: context)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection \(connection.number) error: \(error)")
        context.close(promise: nil)
    }

    private func enqueue(_ prepared: Dispatcher<Service.Context>.Prepared, context: ChannelHandlerContext) {
        queue.append(prepared)
        pump(context: context)
    }

    /// Runs queued messages in order; blocking ones hop to the pool and come back.
    private func pump(context: ChannelHandlerContext) {
        guard let appContext else { return }
        var wrote = false
        while !running, queueHead < queue.count {
            let prepared = queue[queueHead]
            queueHead += 1
            if prepared.isInline {
                if let reply = prepared.run(appContext) { write(reply, context: context); wrote = true }
                runAfterReplyActions(context: context)
                continue
            }
            running = true
            let loop = context.eventLoop
            threadPool.runIfActive(eventLoop: loop) { prepared.run(appContext) }
                .hop(to: loop).assumeIsolated()
                .whenComplete { [self] result in
                    running = false
                    switch result {
                    case let .success(reply): if let reply { write(reply, context: context) }
                    case let .failure(error):
                        logger.error("thread pool refused work: \(error)")
                        write(Reply.failure(id: .null, error: .busy("shutting down")), context: context)
                    }
                    context.flush()
                    runAfterReplyActions(context: context)
                    pump(context: context)
                }
        }
        if queueHead == queue.count {
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
        }
        if wrote { context.flush() }
        closeIfDrained(context: context)
    }

    /// Actions a handler registered to run once its reply is out (flushes first so they cannot overtake it).
    private func runAfterReplyActions(context: ChannelHandlerContext) {
        let actions = connection.takeAfterReplyActions()
        guard !actions.isEmpty else { return }
        context.flush()
        for action in actions { action() }
    }

    private func write(_ body: [UInt8], context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: body.count + 24)
        (connection.framing ?? .ndjson).frame(body, into: &buffer)
        context.write(wrapOutboundOut(buffer), promise: nil)
    }

    private func closeIfDrained(context: ChannelHandlerContext) {
        guard closeAfterDrain, !running, queueHead == queue.count else { return }
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)))
            .assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

/// Sent through a connection's pipeline at shutdown: finish what was received, then close.
public struct ShutdownRequest: Sendable {
    /// Creates the event.
    public init() {}
}
