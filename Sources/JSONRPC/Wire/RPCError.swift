import Foundation

/// A JSON-RPC error object: code, message and optional data (kept as encoded JSON).
public struct RPCError: Error, Sendable, Equatable {
    /// The error code.
    public var code: Int
    /// A short human-readable message.
    public var message: String
    /// The `data` member as JSON text, if any.
    public var data: [UInt8]?

    /// An error with raw JSON data.
    public init(code: Int, message: String, rawData: [UInt8]? = nil) {
        self.code = code; self.message = message; self.data = rawData
    }

    /// An error whose data is any encodable value.
    public init(code: Int, message: String, data: some Encodable) {
        self.init(code: code, message: message, rawData: try? JSONCoding.encode(data))
    }

    /// -32700: the message is not valid JSON (or not UTF-8).
    public static func parseError(_ reason: String) -> RPCError {
        RPCError(code: -32700, message: "Parse error: \(reason)", data: KindData(kind: "parseError"))
    }
    /// -32600: the message is JSON but not a valid request.
    public static func invalidRequest(_ reason: String) -> RPCError {
        RPCError(code: -32600, message: "Invalid Request: \(reason)", data: KindData(kind: "invalidRequest"))
    }
    /// -32601: no such method.
    public static func methodNotFound(_ name: String) -> RPCError {
        RPCError(code: -32601, message: "Method not found: \(name)", data: ["kind": "methodNotFound", "method": name])
    }
    /// -32602: params are wrong; `field` names the offending path when known.
    public static func invalidParams(_ reason: String, field: String? = nil) -> RPCError {
        if let field {
            return RPCError(code: -32602, message: "Invalid params: \(reason)", data: ["kind": "invalidParams", "field": field])
        }
        return RPCError(code: -32602, message: "Invalid params: \(reason)", data: KindData(kind: "invalidParams"))
    }
    /// -32603: an internal error; details go to the log, not the client.
    public static let internalError = RPCError(code: -32603, message: "Internal error", data: KindData(kind: "internalError"))
    /// -32000: a message too large or nested too deep; `limit` names which limit.
    public static func limitExceeded(_ limit: String, value: Int) -> RPCError {
        RPCError(code: -32000, message: "Message exceeds the \(limit) limit (\(value))",
                 data: LimitData(kind: "limitExceeded", limit: limit, value: value))
    }
    /// -32001: a batch with too many items.
    public static func batchTooLarge(items: Int, limit: Int) -> RPCError {
        RPCError(code: -32001, message: "Batch too large: \(items) items, the limit is \(limit)",
                 data: LimitData(kind: "batchTooLarge", limit: "maxBatchItems", value: limit))
    }
    /// -32002: busy, shutting down or too many connections.
    public static func busy(_ reason: String) -> RPCError {
        RPCError(code: -32002, message: "Server busy: \(reason)", data: KindData(kind: "serverBusy"))
    }

    private struct KindData: Encodable { let kind: String }
    private struct LimitData: Encodable { let kind: String; let limit: String; let value: Int }
}

/// Shared JSON encoder/decoder settings for the wire.
public enum JSONCoding {
    /// Encodes a value as compact JSON without escaping slashes.
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return Array(try encoder.encode(value))
    }

    /// Decodes a value from JSON bytes.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        try JSONDecoder().decode(type, from: Data(bytes))
    }
}
