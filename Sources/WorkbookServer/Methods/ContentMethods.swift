import JSONRPC
import Workbook

/// `workbooks.list`
public enum WorkbooksList: RPCMethod {
    /// The wire name.
    public static let name = "workbooks.list"
    /// Runs the method.
    public static func handle(_ params: NoParams, context: ConnectionContext) throws -> [WorkbookSummary] {
        context.store.workbooksList()
    }
}

/// `workbooks.get`
public enum WorkbooksGet: RPCMethod {
    /// The wire name.
    public static let name = "workbooks.get"
    /// Runs the method.
    public static func handle(_ params: WorkbooksGetParams, context: ConnectionContext) throws -> WorkbookDocument {
        try context.store.workbooksGet(params)
    }
}

/// `prompts.get`
public enum PromptsGet: RPCMethod {
    /// The wire name.
    public static let name = "prompts.get"
    /// Runs the method; the result is hand-encoded (see `ResultJSON`).
    public static func handle(_ params: PromptsGetParams, context: ConnectionContext) throws -> RawJSON {
        RawJSON(try ResultJSON.encode(context.store.promptsGet(params)))
    }
}

/// `prompts.next`
public enum PromptsNext: RPCMethod {
    /// The wire name.
    public static let name = "prompts.next"
    /// Runs the method; the result is hand-encoded (see `ResultJSON`), `null` when every prompt is done.
    public static func handle(_ params: PromptsNextParams, context: ConnectionContext) throws -> RawJSON {
        RawJSON(try context.store.promptsNext(params).map(ResultJSON.encode) ?? Array("null".utf8))
    }
}
