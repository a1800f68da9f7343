/// One wire-level case: a message as sent and the reply expected (nil: no reply at all).
/// Expected replies are compared as JSON values with error messages and data ignored (codes and
/// ids must match exactly).
public struct ProtocolCase: Sendable {
    /// What the case checks.
    public let name: String
    /// The message's bytes (sent as one NDJSON line or one Content-Length body).
    public let request: [UInt8]
    /// The expected reply JSON text, or nil when the server must stay silent.
    public let reply: String?

    /// Creates a case.
    public init(_ name: String, _ request: String, _ reply: String?) {
        self.init(name, bytes: Array(request.utf8), reply)
    }

    /// Creates a case from raw bytes (invalid UTF-8, NUL).
    public init(_ name: String, bytes: [UInt8], _ reply: String?) {
        self.name = name; self.request = bytes; self.reply = reply
    }
}

/// The protocol rule cases, run against every transport with the real server's methods.
public enum ProtocolCases {
    static let ok = #"{}"#
    static func err(_ id: String, _ code: Int) -> String {
        #"{"jsonrpc":"2.0","id":\#(id),"error":{"code":\#(code)}}"#
    }
    static func res(_ id: String, _ result: String) -> String {
        #"{"jsonrpc":"2.0","id":\#(id),"result":\#(result)}"#
    }

    /// At least 30 cases over `server.ping` and friends.
    public static let all: [ProtocolCase] = [
        .init("integer id", #"{"jsonrpc":"2.0","id":1,"method":"server.ping"}"#, res("1", ok)),
        .init("string id", #"{"jsonrpc":"2.0","id":"abc","method":"server.ping"}"#, res(#""abc""#, ok)),
        .init("unicode string id", #"{"jsonrpc":"2.0","id":"ü-✓-🙂","method":"server.ping"}"#, res(#""ü-✓-🙂""#, ok)),
        .init("escaped string id echoed", #"{"jsonrpc":"2.0","id":"a\"b\\c\u00e9","method":"server.ping"}"#, res(#""a\"b\\c\u00e9""#, ok)),
        .init("null id", #"{"jsonrpc":"2.0","id":null,"method":"server.ping"}"#, res("null", ok)),
        .init("zero id", #"{"jsonrpc":"2.0","id":0,"method":"server.ping"}"#, res("0", ok)),
        .init("negative id", #"{"jsonrpc":"2.0","id":-7,"method":"server.ping"}"#, res("-7", ok)),
        .init("id past 2^53", #"{"jsonrpc":"2.0","id":9007199254740993,"method":"server.ping"}"#, res("9007199254740993", ok)),
        .init("id past 2^64", #"{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"server.ping"}"#, res("123456789012345678901234567890", ok)),
        .init("fractional id", #"{"jsonrpc":"2.0","id":1.5,"method":"server.ping"}"#, res("1.5", ok)),
        .init("member order free", #"{"method":"server.ping","id":2,"jsonrpc":"2.0"}"#, res("2", ok)),
        .init("params null", #"{"jsonrpc":"2.0","id":3,"method":"server.ping","params":null}"#, res("3", ok)),
        .init("params []", #"{"jsonrpc":"2.0","id":4,"method":"server.ping","params":[]}"#, res("4", ok)),
        .init("params {}", #"{"jsonrpc":"2.0","id":5,"method":"server.ping","params":{}}"#, res("5", ok)),
        .init("notification", #"{"jsonrpc":"2.0","method":"server.ping"}"#, nil),
        .init("notification to unknown method", #"{"jsonrpc":"2.0","method":"no.such"}"#, nil),
        .init("notification with bad params", #"{"jsonrpc":"2.0","method":"server.ping","params":{"x":1}}"#, nil),
        .init("unknown method", #"{"jsonrpc":"2.0","id":6,"method":"no.such"}"#, err("6", -32601)),
        .init("unicode method name", #"{"jsonrpc":"2.0","id":7,"method":"прогресс.✓"}"#, err("7", -32601)),
        .init("method looked up before params", #"{"jsonrpc":"2.0","id":8,"method":"no.such","params":{"x":1}}"#, err("8", -32601)),
        .init("unknown params key", #"{"jsonrpc":"2.0","id":9,"method":"server.ping","params":{"x":1}}"#, err("9", -32602)),
        .init("non-empty array params", #"{"jsonrpc":"2.0","id":10,"method":"server.ping","params":[1]}"#, err("10", -32602)),
        .init("scalar params", #"{"jsonrpc":"2.0","id":11,"method":"server.ping","params":"bar"}"#, err("11", -32600)),
        .init("number params", #"{"jsonrpc":"2.0","id":12,"method":"server.ping","params":3}"#, err("12", -32600)),
        .init("missing jsonrpc", #"{"id":13,"method":"server.ping"}"#, err("13", -32600)),
        .init("wrong jsonrpc", #"{"jsonrpc":"1.0","id":14,"method":"server.ping"}"#, err("14", -32600)),
        .init("jsonrpc as number", #"{"jsonrpc":2.0,"id":15,"method":"server.ping"}"#, err("15", -32600)),
        .init("method not a string", #"{"jsonrpc":"2.0","id":16,"method":1}"#, err("16", -32600)),
        .init("missing method", #"{"jsonrpc":"2.0","id":17}"#, err("17", -32600)),
        .init("object id", #"{"jsonrpc":"2.0","id":{"a":1},"method":"server.ping"}"#, err("null", -32600)),
        .init("array id", #"{"jsonrpc":"2.0","id":[1],"method":"server.ping"}"#, err("null", -32600)),
        .init("boolean id", #"{"jsonrpc":"2.0","id":true,"method":"server.ping"}"#, err("null", -32600)),
        .init("top-level number", #"1"#, err("null", -32600)),
        .init("top-level null", #"null"#, err("null", -32600)),
        .init("top-level string", #""server.ping""#, err("null", -32600)),
        .init("truncated JSON", #"{"jsonrpc":"2.0","id":18,"method":"server.pi"#, err("null", -32700)),
        .init("garbage", #"{bad json"#, err("null", -32700)),
        .init("trailing garbage", #"{"jsonrpc":"2.0","id":19,"method":"server.ping"} x"#, err("null", -32700)),
        .init("empty batch", #"[]"#, err("null", -32600)),
        .init("batch of invalid members", #"[1,2,3]"#, "[" + [err("null", -32600), err("null", -32600), err("null", -32600)].joined(separator: ",") + "]"),
        .init("mixed batch", #"[{"jsonrpc":"2.0","id":20,"method":"server.ping"},{"jsonrpc":"2.0","method":"server.ping"},{"foo":"boo"},{"jsonrpc":"2.0","id":21,"method":"no.such"}]"#,
              "[" + [res("20", ok), err("null", -32600), err("21", -32601)].joined(separator: ",") + "]"),
        .init("all-notification batch", #"[{"jsonrpc":"2.0","method":"server.ping"},{"jsonrpc":"2.0","method":"no.such"}]"#, nil),
        .init("batch with invalid JSON", #"[{"jsonrpc":"2.0","id":22,"method":"server.ping"},{"jsonrpc":"2.0","method""#, err("null", -32700)),
        .init("nested batch member", #"[[{"jsonrpc":"2.0","id":23,"method":"server.ping"}]]"#, "[" + err("null", -32600) + "]"),
        .init("initialize ignores unknown keys", #"{"jsonrpc":"2.0","id":24,"method":"initialize","params":{"processId":1,"capabilities":{},"clientInfo":{"name":"tests"}}}"#, res("24", #""*""#)),
        .init("invalid UTF-8 in a string", bytes: Array(#"{"jsonrpc":"2.0","id":25,"method":"server.ping","x":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8), err("null", -32700)),
        .init("overlong UTF-8", bytes: Array(#"{"jsonrpc":"2.0","id":26,"method":"server.ping","x":""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8), err("null", -32700)),
        .init("raw NUL byte in a string", bytes: Array(#"{"jsonrpc":"2.0","id":27,"method":"server.ping","x":""#.utf8) + [0x00] + Array(#""}"#.utf8), err("null", -32700)),
        .init("escaped NUL is valid JSON", #"{"jsonrpc":"2.0","id":28,"method":"server.ping","x":"\u0000"}"#, res("28", ok)),
        .init("too deep", String(repeating: "[", count: 100) + String(repeating: "]", count: 100), err("null", -32000)),
        .init("deep params", #"{"jsonrpc":"2.0","id":29,"method":"server.ping","params":{"a":"# + String(repeating: "[", count: 80) + String(repeating: "]", count: 80) + "}}", err("null", -32000)),
    ]

    /// Cases whose reply is checked only for its code and id shape by `all`, listed for clarity.
    public static var count: Int { all.count }
}
