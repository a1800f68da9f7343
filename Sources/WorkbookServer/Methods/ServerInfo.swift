import JSONRPC

/// `server.info`'s result.
public struct ServerInfoResult: Codable, Sendable, Equatable {
    /// "workbook".
    public var name: String
    /// The server's version.
    public var version: String
    /// The protocol level.
    public var apiLevel: Int
    /// The database's UUID (changes when a different or restored database is served).
    public var databaseId: String
    /// The database file path.
    public var database: String
    /// This connection's framing ("ndjson", "headers"), when known.
    public var framing: String?
    /// Open connections on this server process (nil without a server).
    public var connections: Int?
    /// The limits in force.
    public var limits: LimitsInfo
    /// Optional features this server has.
    public var capabilities: [String]
}

/// The limits as `server.info` reports them.
public struct LimitsInfo: Codable, Sendable, Equatable {
    /// Largest message, bytes.
    public var maxMessageBytes: Int
    /// Most batch members.
    public var maxBatchItems: Int
    /// Largest answer, UTF-8 bytes.
    public var maxAnswerBytes: Int
    /// Deepest nesting.
    public var maxDepth: Int
    /// Most connections.
    public var maxConnections: Int
    /// Idle partial message timeout, seconds.
    public var idleTimeoutSeconds: Int
    /// Most notifications queued per subscriber.
    public var maxSubscriberQueue: Int
}

/// `server.info`: what this server is and how it is limited.
public enum ServerInfo: RPCMethod {
    /// The wire name.
    public static let name = "server.info"
    /// Answered inline.
    public static let execution = Execution.inline
    /// Runs the method.
    public static func handle(_ params: NoParams, context: ConnectionContext) throws -> ServerInfoResult {
        context.app.info(framing: context.connection?.framing)
    }
}

/// `server.ping`: `{}`.
public enum ServerPing: RPCMethod {
    /// The wire name.
    public static let name = "server.ping"
    /// Answered inline.
    public static let execution = Execution.inline
    /// Runs the method.
    /// `{}` spliced as is: no `JSONEncoder` on the hottest path (and no shared global array either).
    public static func handle(_ params: NoParams, context: ConnectionContext) throws -> RawJSON { RawJSON([0x7B, 0x7D]) }
}

/// `rpc.discover`: the OpenRPC document, as committed in `schema/openrpc.json`.
public enum RPCDiscover: RPCMethod {
    /// The wire name.
    public static let name = "rpc.discover"
    /// Answered inline.
    public static let execution = Execution.inline
    /// Runs the method.
    public static func handle(_ params: NoParams, context: ConnectionContext) throws -> RawJSON {
        RawJSON(OpenRPCDocument.compact)
    }
}

/// `initialize`: records the client's name for revisions saved on this connection; returns server.info.
public enum Initialize: RPCMethod {
    /// `{clientInfo?: {name, version?}, ...}`; unknown keys are ignored (LSP-style clients send more).
    public struct Params: Decodable, Sendable {
        /// The client's self-description.
        public var clientInfo: ClientInfo?
    }
    /// A client's name and version.
    public struct ClientInfo: Decodable, Sendable {
        /// Name recorded on revisions.
        public var name: String
        /// Version, informational.
        public var version: String?
    }
    /// The wire name.
    public static let name = "initialize"
    /// Any key is accepted.
    public static let paramKeys: [String]? = nil
    /// Answered inline.
    public static let execution = Execution.inline
    /// Runs the method.
    public static func handle(_ params: Params, context: ConnectionContext) throws -> ServerInfoResult {
        if let name = params.clientInfo?.name, !name.isEmpty {
            // SQLite hands TEXT back cut at U+0000: drop it, so revisions record the name as acknowledged.
            context.clientName = String(name.filter { $0 != "\u{0}" }.prefix(200))
        }
        return context.app.info(framing: context.connection?.framing)
    }
}
