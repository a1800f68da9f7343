import JSONRPC

/// Every method the server serves: the registry, `rpc.discover` and the tests all read this list.
public enum MethodCatalogue {
    /// The methods, erased for the dispatcher.
    public static let all: [MethodEntry<ConnectionContext>] = [
        MethodEntry(RPCDiscover.self),
        MethodEntry(ServerInfo.self),
        MethodEntry(ServerPing.self),
        MethodEntry(Initialize.self),
    ]

    /// Optional features reported by `server.info`.
    public static let capabilities: [String] = ["framing.ndjson", "framing.headers", "batch"]
}
