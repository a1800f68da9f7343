import Logging
import NIOCore
import NIOPosix

/// Runs one connection: takes frames in order, runs each message (inline or on the thread pool),
/// writes replies in the order received, and closes only when every pending reply is written.
/// Backpressure: it holds the channel's reads while `maxPending` messages wait or the channel is not
/// writable (a client that floods requests and never reads replies costs bounded memory), and runs
/// no more work while replies cannot be written. At shutdown, requests that arrive get -32002.
final class RPCChannelHandler<Service: RPCService>: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = InboundFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Messages waiting (queued or running) before reading pauses. Each read burst decodes at most
    /// a few reads' worth of frames, so the queue stays within a burst of this.
    static var maxPending: Int { 16 }

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
    private var shuttingDown = false
    private var readHeld = false
    private var closing = false
    private var writeCount = 0
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
        case let .message(buffer, framing) where shuttingDown:
            connection.setFraming(framing)
            enqueue(dispatcher.refusing(Array(buffer.readableBytesView), with: .busy("shutting down")), context: context)
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
                scheduleIdleClose(context: context)
            }
        case ChannelEvent.inputClosed:
            inputClosed = true
            closeAfterDrain = true
            closeIfDrained(context: context)
        case is ShutdownRequest:
            // Keep reading: what arrives from now on is answered -32002 until the queue drains.
            shuttingDown = true
            closeAfterDrain = true
            closeIfDrained(context: context)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func read(context: ChannelHandlerContext) {
        if canRead(context) { context.read() } else { readHeld = true }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { pump(context: context) }
        context.fireChannelWritabilityChanged()
    }

    private func canRead(_ context: ChannelHandlerContext) -> Bool {
        !closing && queue.count - queueHead + (running ? 1 : 0) < Self.maxPending && context.channel.isWritable
    }

    private func resumeReadingIfPossible(context: ChannelHandlerContext) {
        guard readHeld, canRead(context) else { return }
        readHeld = false
        context.read()
    }

    /// Closes a connection whose partial message sat idle, unless it sits because we hold reads
    /// (the peer is not reading its replies): then the clock starts again.
    private func scheduleIdleClose(context: ChannelHandlerContext) {
        idleTask = context.eventLoop.assumeIsolated().scheduleTask(in: idleTimeout) { [weak self] in
            guard let self else { return }
            if self.readHeld { self.scheduleIdleClose(context: context); return }
            self.logger.info("closing connection \(self.connection.number): partial message idle")
            context.close(promise: nil)
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
        while !running, queueHead < queue.count, context.channel.isWritable {
            let prepared = queue[queueHead]
            queueHead += 1
            if prepared.isInline {
                if let reply = prepared.run(appContext) { write(reply, context: context); wrote = true }
                runAfterReplyActions(context: context)
                continue
            }
            running = true
            let loop = context.eventLoop
            // A lone deferred call (a save) completes from its own thread; anything else that
            // blocks runs on the pool.
            let promise = loop.makePromise(of: [UInt8]?.self)
            if !prepared.startDeferred(appContext, completion: { promise.succeed($0) }) {
                promise.completeWith(threadPool.runIfActive(eventLoop: loop) { prepared.run(appContext) })
            }
            promise.futureResult.assumeIsolated()
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
        resumeReadingIfPossible(context: context)
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
        writeCount &+= 1
    }

    /// Closes once the queue is empty and everything written so far has reached the peer. `close`
    /// drops writes still buffered, so a reply written after the marker means: mark again.
    private func closeIfDrained(context: ChannelHandlerContext) {
        guard closeAfterDrain, !running, queueHead == queue.count else { return }
        closing = true
        let written = writeCount
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)))
            .assumeIsolated().whenComplete { [self] result in
            if case .success = result, written != writeCount {
                closeIfDrained(context: context)
            } else {
                context.close(promise: nil)
            }
        }
    }
}

/// Sent through a connection's pipeline at shutdown: finish what was received, then close.
public struct ShutdownRequest: Sendable {
    /// Creates the event.
    public init() {}
}
