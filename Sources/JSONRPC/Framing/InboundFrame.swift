import NIOCore

/// How messages are delimited on a connection.
public enum Framing: String, Sendable, Codable {
    /// One JSON text per line.
    case ndjson
    /// LSP base protocol: `Content-Length` headers, an empty line, then the body.
    case headers

    /// Wraps a message body for this framing.
    public func frame(_ body: [UInt8], into buffer: inout ByteBuffer) {
        switch self {
        case .ndjson:
            buffer.writeBytes(body)
            buffer.writeInteger(UInt8(ascii: "\n"))
        case .headers:
            buffer.writeString("Content-Length: \(body.count)\r\n\r\n")
            buffer.writeBytes(body)
        }
    }
}

/// What the framing decoders produce.
public enum InboundFrame: Sendable, Equatable {
    /// One complete message body.
    case message(ByteBuffer, Framing)
    /// A message past the size limit was skipped.
    case tooLarge(Framing)
    /// The header block could not be read; the connection cannot continue.
    case malformedHeader(String)
}

/// Fired by the framing decoders after each read, so the connection can time out idle partial messages.
public enum PartialMessageEvent: Sendable, Equatable {
    /// Bytes of an incomplete message are buffered.
    case pending
    /// Nothing is buffered.
    case none
}
