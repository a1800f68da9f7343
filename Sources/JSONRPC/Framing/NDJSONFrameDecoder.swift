import NIOCore

/// Newline-delimited JSON: one message per line; `\r\n` accepted; blank lines ignored; a last line
/// without `\n` counts at EOF; a line past `maxBytes` is discarded up to its `\n` and reported once.
public struct NDJSONFrameDecoder: ByteToMessageDecoder {
    /// Emits `InboundFrame`.
    public typealias InboundOut = InboundFrame

    private let maxBytes: Int
    private var discarding = false
    private var scanned = 0

    /// A decoder capping lines at `maxBytes`.
    public init(maxBytes: Int) { self.maxBytes = maxBytes }

    /// Decodes one line if complete.
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        if let newline = view.dropFirst(scanned).firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - view.startIndex
            scanned = 0
            if discarding {
                discarding = false
                buffer.moveReaderIndex(forwardBy: length + 1)
                return .continue
            }
            let line = buffer.readSlice(length: length)!
            buffer.moveReaderIndex(forwardBy: 1)
            emit(line, context: context)
            return .continue
        }
        scanned = view.count
        if discarding {
            buffer.moveReaderIndex(forwardBy: view.count)
            scanned = 0
        } else if view.count > maxBytes + 1 {
            discarding = true
            buffer.moveReaderIndex(forwardBy: view.count)
            scanned = 0
            context.fireChannelRead(NIOAny(InboundFrame.tooLarge(.ndjson)))
        }
        return .needMoreData
    }

    /// At EOF a last line without `\n` still counts.
    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer,
                                    seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if seenEOF, buffer.readableBytes > 0, !discarding {
            let rest = buffer.readSlice(length: buffer.readableBytes)!
            emit(rest, context: context)
        }
        buffer.moveReaderIndex(to: buffer.writerIndex)
        scanned = 0
        return .needMoreData
    }

    private func emit(_ line: ByteBuffer, context: ChannelHandlerContext) {
        var line = line
        if line.readableBytesView.last == UInt8(ascii: "\r") { line.moveWriterIndex(to: line.writerIndex - 1) }
        let blank = line.readableBytesView.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        if blank { return }
        if line.readableBytes > maxBytes {
            context.fireChannelRead(NIOAny(InboundFrame.tooLarge(.ndjson)))
        } else {
            context.fireChannelRead(NIOAny(InboundFrame.message(line, .ndjson)))
        }
    }
}
