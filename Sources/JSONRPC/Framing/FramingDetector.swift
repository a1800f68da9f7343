import NIOCore

/// Detects a connection's framing from its first bytes, then delegates to the matching decoder:
/// headers when the first line starts `Token:`, newline-delimited JSON otherwise.
public struct FramingDetector: ByteToMessageDecoder {
    /// Emits `InboundFrame`.
    public typealias InboundOut = InboundFrame

    private enum State { case sniffing, ndjson(NDJSONFrameDecoder), headers(HeaderFrameDecoder) }
    private var state = State.sniffing
    private let maxBytes: Int

    /// A detector whose decoders cap messages at `maxBytes`.
    public init(maxBytes: Int) { self.maxBytes = maxBytes }

    /// RFC 9110 token characters.
    static func isTokenChar(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(c)
        }
    }

    /// nil while the first bytes cannot tell yet.
    static func sniff(_ view: ByteBufferView, atEOF: Bool) -> Framing? {
        var n = 0
        for c in view {
            if c == UInt8(ascii: ":") { return n > 0 ? .headers : .ndjson }
            if !isTokenChar(c) || n > 256 { return .ndjson }
            n += 1
        }
        return atEOF ? .ndjson : nil
    }

    /// Sniffs, then decodes with the chosen framing.
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let result = try step(context: context, buffer: &buffer, last: false, seenEOF: false)
        // ByteToMessageHandler stops calling decode once the buffer is empty, so report that too.
        if result == .needMoreData || buffer.readableBytes == 0 {
            context.fireUserInboundEventTriggered(buffer.readableBytes > 0 ? PartialMessageEvent.pending : .none)
        }
        return result
    }

    /// Finishes at EOF.
    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer,
                                    seenEOF: Bool) throws -> DecodingState {
        try step(context: context, buffer: &buffer, last: true, seenEOF: seenEOF)
    }

    private mutating func step(context: ChannelHandlerContext, buffer: inout ByteBuffer,
                               last: Bool, seenEOF: Bool) throws -> DecodingState {
        switch state {
        case .sniffing:
            guard buffer.readableBytes > 0,
                  let framing = Self.sniff(buffer.readableBytesView, atEOF: last) else { return .needMoreData }
            state = framing == .ndjson ? .ndjson(NDJSONFrameDecoder(maxBytes: maxBytes))
                                       : .headers(HeaderFrameDecoder(maxBytes: maxBytes))
            return .continue
        case var .ndjson(decoder):
            defer { state = .ndjson(decoder) }
            return last ? try decoder.decodeLast(context: context, buffer: &buffer, seenEOF: seenEOF)
                        : try decoder.decode(context: context, buffer: &buffer)
        case var .headers(decoder):
            defer { state = .headers(decoder) }
            return last ? try decoder.decodeLast(context: context, buffer: &buffer, seenEOF: seenEOF)
                        : try decoder.decode(context: context, buffer: &buffer)
        }
    }
}
