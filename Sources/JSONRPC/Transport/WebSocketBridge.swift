import NIOCore
import NIOWebSocket

/// Sits between the WebSocket frames and `RPCChannelHandler`, so a WebSocket connection runs
/// through the same queue, ordering and executor as the socket and stdio: each whole text (or
/// binary) message becomes one `InboundFrame.message`; each outbound message (one NDJSON-framed
/// buffer per reply or notification) becomes one text frame without the newline.
final class WebSocketBridge: ChannelDuplexHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = InboundFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = WebSocketFrame

    private var lastWrite: EventLoopFuture<Void>?
    private var sentClose = false
    private var receivedClose = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary:
            guard !receivedClose else { return }
            context.fireChannelRead(wrapInboundOut(.message(frame.unmaskedData, .ndjson)))
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            // Finish the requests already received (RPCChannelHandler drains, then closes; `close`
            // below answers with our close frame).
            receivedClose = true
            context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is NIOWebSocketFrameAggregator.Error {
            sendClose(context: context, code: .messageTooLarge).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } else {
            context.fireErrorCaught(error)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var buffer = unwrapOutboundIn(data)
        if buffer.readableBytes == 0 {
            // RPCChannelHandler's "everything before this is written" marker: no frame of its own.
            if let lastWrite { lastWrite.cascade(to: promise) } else { promise?.succeed(()) }
            return
        }
        guard !sentClose else {
            promise?.fail(ChannelError.outputClosed)
            return
        }
        if buffer.getInteger(at: buffer.writerIndex - 1, as: UInt8.self) == UInt8(ascii: "\n") {
            buffer.moveWriterIndex(to: buffer.writerIndex - 1)
        }
        let done = context.eventLoop.makePromise(of: Void.self)
        context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: buffer)), promise: done)
        done.futureResult.cascade(to: promise)
        lastWrite = done.futureResult
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, !sentClose, context.channel.isActive else {
            context.close(mode: mode, promise: promise)
            return
        }
        sendClose(context: context, code: receivedClose ? .normalClosure : .goingAway).assumeIsolated().whenComplete { _ in
            context.close(mode: mode, promise: promise)
        }
    }

    private func sendClose(context: ChannelHandlerContext, code: WebSocketErrorCode) -> EventLoopFuture<Void> {
        sentClose = true
        var data = context.channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
        return context.writeAndFlush(wrapOutboundOut(frame))
    }
}
