/// The examples of section 7 of the JSON-RPC 2.0 specification, verbatim (including the
/// pretty-printed batches), with the replies the spec gives for its own `subtract`, `sum`,
/// `get_data`, `notify_*`, `update` methods, and the replies owed by a server that has none of them.
public struct SpecExample: Sendable {
    /// The spec's label.
    public let name: String
    /// The message exactly as in the spec.
    public let request: String
    /// The reply with the spec's methods (nil: none).
    public let specReply: String?
    /// The reply from a server without those methods (nil: none).
    public let serverReply: String?

    /// The request on one line (whitespace between tokens replaced), for NDJSON framing.
    public var compactRequest: String {
        request.split(separator: "\n").joined(separator: " ")
    }
}

/// The section 7 list.
public enum SpecExamples {
    private static func e(_ id: String, _ code: Int) -> String { #"{"jsonrpc":"2.0","error":{"code":\#(code)},"id":\#(id)}"# }
    private static func r(_ id: String, _ v: String) -> String { #"{"jsonrpc":"2.0","result":\#(v),"id":\#(id)}"# }

    /// Every example of section 7.
    public static let all: [SpecExample] = [
        .init(name: "positional parameters 1", request: #"{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}"#,
              specReply: r("1", "19"), serverReply: e("1", -32601)),
        .init(name: "positional parameters 2", request: #"{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}"#,
              specReply: r("2", "-19"), serverReply: e("2", -32601)),
        .init(name: "named parameters 1", request: #"{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}"#,
              specReply: r("3", "19"), serverReply: e("3", -32601)),
        .init(name: "named parameters 2", request: #"{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}"#,
              specReply: r("4", "19"), serverReply: e("4", -32601)),
        .init(name: "notification 1", request: #"{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}"#,
              specReply: nil, serverReply: nil),
        .init(name: "notification 2", request: #"{"jsonrpc": "2.0", "method": "foobar"}"#, specReply: nil, serverReply: nil),
        .init(name: "non-existent method", request: #"{"jsonrpc": "2.0", "method": "foobar", "id": "1"}"#,
              specReply: e(#""1""#, -32601), serverReply: e(#""1""#, -32601)),
        .init(name: "invalid JSON", request: #"{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]"#,
              specReply: e("null", -32700), serverReply: e("null", -32700)),
        .init(name: "invalid Request object", request: #"{"jsonrpc": "2.0", "method": 1, "params": "bar"}"#,
              specReply: e("null", -32600), serverReply: e("null", -32600)),
        .init(name: "batch, invalid JSON", request: """
            [
              {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
              {"jsonrpc": "2.0", "method"
            ]
            """, specReply: e("null", -32700), serverReply: e("null", -32700)),
        .init(name: "empty Array", request: "[]", specReply: e("null", -32600), serverReply: e("null", -32600)),
        .init(name: "invalid batch, not empty", request: "[1]", specReply: "[\(e("null", -32600))]", serverReply: "[\(e("null", -32600))]"),
        .init(name: "invalid batch", request: "[1,2,3]",
              specReply: "[\(e("null", -32600)),\(e("null", -32600)),\(e("null", -32600))]",
              serverReply: "[\(e("null", -32600)),\(e("null", -32600)),\(e("null", -32600))]"),
        .init(name: "rpc call Batch", request: """
            [
                    {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
                    {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
                    {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
                    {"foo": "boo"},
                    {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
                    {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
                ]
            """,
              specReply: "[\(r(#""1""#, "7")),\(r(#""2""#, "19")),\(e("null", -32600)),\(e(#""5""#, -32601)),\(r(#""9""#, #"["hello", 5]"#))]",
              serverReply: "[\(e(#""1""#, -32601)),\(e(#""2""#, -32601)),\(e("null", -32600)),\(e(#""5""#, -32601)),\(e(#""9""#, -32601))]"),
        .init(name: "rpc call Batch (all notifications)", request: """
            [
                    {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
                    {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
                ]
            """, specReply: nil, serverReply: nil),
    ]
}
