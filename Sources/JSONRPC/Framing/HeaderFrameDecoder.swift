import Foundation
import NIOCore

/// LSP base protocol framing: header lines (`Content-Length: N`, any case; others ignored), ended by
/// `\r\n` or `\n`, an empty line, then N bytes. A body past `maxBytes` is skipped and reported; a
/// malformed header block is reported and everything after it is dropped.
public struct HeaderFrameDecoder: ByteToMessageDecoder {
    /// Emits `InboundFrame`.
    public typealias InboundOut = InboundFrame

    private enum State { case headers, body(Int), skipping(Int), failed }
    private let maxBytes: Int
    private let maxHeaderBytes = 8192
    private var state = State.headers

    /// A decoder capping bodies at `maxBytes`.
    public init(maxBytes: Int) { self.maxBytes = maxBytes }

    /// Decodes a header block or a body when complete.
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        switch state {
        case .failed:
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        case let .skipping(remaining):
            let n = min(remaining, buffer.readableBytes)
            buffer.moveReaderIndex(forwardBy: n)
            state = remaining - n == 0 ? .headers : .skipping(remaining - n)
            return remaining - n == 0 ? .continue : .needMoreData
        case let .body(length):
            guard let body = buffer.readSlice(length: length) else { return .needMoreData }
            state = .headers
            context.fireChannelRead(NIOAny(InboundFrame.message(body, .headers)))
            return .continue
        case .headers:
            return readHeaders(context: context, buffer: &buffer)
        }
    }

    private mutating func readHeaders(context: ChannelHandlerContext, buffer: inout ByteBuffer) -> DecodingState {
        let view = buffer.readableBytesView
        // Stray line ends between messages are tolerated.
        var start = view.startIndex
        while start < view.endIndex, view[start] == UInt8(ascii: "\r") || view[start] == UInt8(ascii: "\n") { start += 1 }
        guard let end = Self.headerBlockEnd(view, from: start) else {
            if view.count > maxHeaderBytes { return fail("header block longer than \(maxHeaderBytes) bytes", context, &buffer) }
            return .needMoreData
        }
        var length: Int?
        for rawLine in view[start..<end.blockEnd].split(separator: UInt8(ascii: "\n")) {
            let line = rawLine.last == UInt8(ascii: "\r") ? rawLine.dropLast() : rawLine
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon != line.startIndex else {
                return fail("header line without a name and ':'", context, &buffer)
            }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if name == "content-length" {
                guard let n = Int(value), n >= 0 else { return fail("Content-Length is not a number", context, &buffer) }
                length = n
            }
        }
        guard let length else { return fail("no Content-Length header", context, &buffer) }
        buffer.moveReaderIndex(forwardBy: end.bodyStart - view.startIndex)
        if length > maxBytes {
            state = .skipping(length)
            context.fireChannelRead(NIOAny(InboundFrame.tooLarge(.headers)))
        } else {
            state = .body(length)
        }
        return .continue
    }

    private mutating func fail(_ reason: String, _ context: ChannelHandlerContext,
                               _ buffer: inout ByteBuffer) -> DecodingState {
        state = .failed
        buffer.moveReaderIndex(to: buffer.writerIndex)
        context.fireChannelRead(NIOAny(InboundFrame.malformedHeader(reason)))
        return .needMoreData
    }

    /// Finds the empty line ending a header block: `\n\n` or `\n\r\n`.
    static func headerBlockEnd(_ view: ByteBufferView, from start: Int) -> (blockEnd: Int, bodyStart: Int)? {
        var i = start
        while let nl = view[i...].firstIndex(of: UInt8(ascii: "\n")) {
            let next = nl + 1
            if next < view.endIndex, view[next] == UInt8(ascii: "\n") { return (nl, next + 1) }
            if next + 1 < view.endIndex, view[next] == UInt8(ascii: "\r"), view[next + 1] == UInt8(ascii: "\n") {
                return (nl, next + 2)
            }
            if next + 1 >= view.endIndex, next < view.endIndex, view[next] == UInt8(ascii: "\r") { return nil }
            i = next
            if i >= view.endIndex { return nil }
        }
        return nil
    }

    /// At EOF an incomplete message is dropped.
    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer,
                                    seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }
}

