import JSONRPC
import Workbook

/// `subscribe {since?}`: live `workbook.changed` notifications on this connection, after a catch-up
/// of every change past `since`.
public enum Subscribe: RPCMethod {
    /// Params.
    public struct Params: RPCParams {
        /// Accepted keys.
        public static let keys = ["since"]
        /// Send every change after this cursor first; omitted: no catch-up.
        public var since: Int64?
    }
    /// The result.
    public struct Result: Codable, Sendable, Equatable {
        /// Names the subscription in notifications and `unsubscribe`.
        public var subscriptionId: String
        /// The head of the change log when subscribing.
        public var cursor: Int64
    }
    /// The wire name.
    public static let name = "subscribe"
    /// Runs the method.
    public static func handle(_ params: Params, context: ConnectionContext) throws -> Result {
        guard let connection = context.connection else {
            throw RPCError.invalidRequest("subscribe needs a connection (socket, stdio or WebSocket)")
        }
        let hub = context.app.changes
        let (id, cursor) = try hub.subscribe(connection, since: params.since)
        connection.afterReply { hub.activate(id) }
        return Result(subscriptionId: id, cursor: cursor)
    }
}

/// `unsubscribe {subscriptionId}`
public enum Unsubscribe: RPCMethod {
    /// Params.
    public struct Params: RPCParams {
        /// Accepted keys.
        public static let keys = ["subscriptionId"]
        /// The subscription to stop.
        public var subscriptionId: String
    }
    /// The wire name.
    public static let name = "unsubscribe"
    /// Runs the method.
    public static func handle(_ params: Params, context: ConnectionContext) throws -> EmptyResult {
        guard let connection = context.connection,
              context.app.changes.unsubscribe(params.subscriptionId, connection: connection) else {
            throw RPCError.invalidParams("no subscription '\(params.subscriptionId)' on this connection", field: "subscriptionId")
        }
        return EmptyResult()
    }
}
