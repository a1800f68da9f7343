import NIOCore

/// Answers a connection over the limit with one -32002 error and closes it. With `wait`, it first
/// reads the client's first bytes (for at most `wait`) so the error comes in the client's framing
/// (NDJSON when the client sends nothing or ends first); without, it answers at once in NDJSON
/// (the WebSocket bridge turns that into a text message).
final class RefuseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let reply: [UInt8]
    private let wait: TimeAmount?
    private var seen: ByteBuffer?
    private var answered = false
    private var timer: Scheduled<Void>?

    init(reply: [UInt8], wait: TimeAmount?) {
        self.reply = reply
        self.wait = wait
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { channelActive(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        guard timer == nil, !answered else { return }
        guard let wait else { return answer(.ndjson, context: context) }
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: wait) { [weak self] in
            self?.answer(.ndjson, context: context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard wait != nil, !answered else { return }
        var bytes = unwrapInboundIn(data)
        if seen == nil { seen = bytes } else { seen!.writeBuffer(&bytes) }
        if let framing = FramingDetector.sniff(seen!.readableBytesView, atEOF: false) {
            answer(framing, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event, !answered {
            answer(seen.flatMap { FramingDetector.sniff($0.readableBytesView, atEOF: true) } ?? .ndjson, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        context.fireChannelInactive()
    }

    private func answer(_ framing: Framing, context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        timer?.cancel()
        seen = nil
        var buffer = context.channel.allocator.buffer(capacity: reply.count + 32)
        framing.frame(reply, into: &buffer)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}
