/// A request id kept as the exact JSON text the client sent, so it is echoed byte for byte
/// (integers past 2^53 included).
public struct RequestID: Hashable, Sendable, CustomStringConvertible {
    /// The id's JSON text: a string literal with its quotes, a number, or `null`.
    public let json: [UInt8]

    /// An id from its JSON text (already validated).
    public init(json: [UInt8]) { self.json = json }

    /// The `null` id used when a request's id cannot be read.
    public static let null = RequestID(json: Array("null".utf8))

    /// An integer id (used by clients and tests).
    public static func number(_ n: Int) -> RequestID { RequestID(json: Array(String(n).utf8)) }

    /// A string id (used by clients and tests).
    public static func string(_ s: String) -> RequestID { RequestID(json: JSONScanner.quote(s)) }

    /// The id's JSON text.
    public var description: String { String(decoding: json, as: UTF8.self) }
}
