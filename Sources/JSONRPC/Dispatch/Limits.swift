/// The wire limits every transport enforces (PROTOCOL.md, "Limits").
public struct Limits: Sendable, Equatable, Codable {
    /// Largest message body, in bytes.
    public var maxMessageBytes: Int
    /// Most members in one batch.
    public var maxBatchItems: Int
    /// Deepest nesting of arrays and objects.
    public var maxDepth: Int
    /// Most simultaneous connections per listener.
    public var maxConnections: Int
    /// Seconds a partial message may sit idle before the connection closes.
    public var idleTimeoutSeconds: Int

    /// The defaults: 4 MiB, 100 items, depth 64, 256 connections, 60 s.
    public init(maxMessageBytes: Int = 4 << 20, maxBatchItems: Int = 100, maxDepth: Int = 64,
                maxConnections: Int = 256, idleTimeoutSeconds: Int = 60) {
        self.maxMessageBytes = maxMessageBytes; self.maxBatchItems = maxBatchItems
        self.maxDepth = maxDepth; self.maxConnections = maxConnections
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }
}
