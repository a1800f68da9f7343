/// Builds the bytes of outgoing messages by splicing already-encoded parts, so ids are echoed
/// exactly and results are encoded once.
public enum Reply {
    /// `{"jsonrpc":"2.0","id":ID,"result":RESULT}`
    public static func success(id: RequestID, result: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(result.count + id.json.count + 32)
        out += #"{"jsonrpc":"2.0","id":"#.utf8
        out += id.json
        out += #","result":"#.utf8
        out += result
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `{"jsonrpc":"2.0","id":ID,"error":{"code":C,"message":M,"data":D}}`
    public static func failure(id: RequestID, error: RPCError) -> [UInt8] {
        var out: [UInt8] = []
        out += #"{"jsonrpc":"2.0","id":"#.utf8
        out += id.json
        out += #","error":{"code":"#.utf8
        out += String(error.code).utf8
        out += #","message":"#.utf8
        out += JSONScanner.quote(error.message)
        if let data = error.data {
            out += #","data":"#.utf8
            out += data
        }
        out += "}}".utf8
        return out
    }

    /// `{"jsonrpc":"2.0","method":M,"params":P}` (a server-to-client notification).
    public static func notification(method: String, params: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out += #"{"jsonrpc":"2.0","method":"#.utf8
        out += JSONScanner.quote(method)
        out += #","params":"#.utf8
        out += params
        out.append(UInt8(ascii: "}"))
        return out
    }
}
