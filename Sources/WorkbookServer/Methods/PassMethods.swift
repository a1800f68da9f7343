import JSONRPC
import Workbook

/// `passes.list`
public enum PassesList: RPCMethod {
    /// The wire name.
    public static let name = "passes.list"
    /// Runs the method.
    public static func handle(_ params: PassesListParams, context: ConnectionContext) throws -> [Pass] {
        try context.store.passesList(params)
    }
}

/// `passes.start`
public enum PassesStart: RPCMethod {
    /// The wire name.
    public static let name = "passes.start"
    /// Runs the method.
    public static func handle(_ params: PassesStartParams, context: ConnectionContext) throws -> Pass {
        try context.store.passesStart(params, client: context.clientName)
    }
}

/// `passes.get`
public enum PassesGet: RPCMethod {
    /// The wire name.
    public static let name = "passes.get"
    /// Runs the method.
    public static func handle(_ params: PassesGetParams, context: ConnectionContext) throws -> Pass {
        try context.store.passesGet(params)
    }
}

/// `passes.close`
public enum PassesClose: RPCMethod {
    /// The wire name.
    public static let name = "passes.close"
    /// Runs the method.
    public static func handle(_ params: PassesCloseParams, context: ConnectionContext) throws -> Pass {
        try context.store.passesClose(params, client: context.clientName)
    }
}

/// `passes.delete`
public enum PassesDelete: RPCMethod {
    /// The wire name.
    public static let name = "passes.delete"
    /// Runs the method.
    public static func handle(_ params: PassesDeleteParams, context: ConnectionContext) throws -> DeleteResult {
        try context.store.passesDelete(params, client: context.clientName)
    }
}
