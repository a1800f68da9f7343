import JSONRPC
import Workbook

/// `progress.get`
public enum ProgressGet: RPCMethod {
    /// The wire name.
    public static let name = "progress.get"
    /// On the event loop: the hop to the thread pool and back cost more than the read, which is one
    /// indexed range of one pass's current answers (at most one row per prompt of the pack) in a
    /// WAL snapshot, which never waits for a writer (8×16 on 2 cores: 5.9k/s pooled, 10.2k/s inline).
    public static let execution = Execution.inline
    /// Runs the method; the result is hand-encoded (see `ResultJSON`): the same bytes, a fraction of the time.
    public static func handle(_ params: ProgressGetParams, context: ConnectionContext) throws -> RawJSON {
        RawJSON(ResultJSON.encode(try context.store.progressGet(params)))
    }
}

extension ProgressGetParams: DefaultableParams {
    /// Both omitted: the default workbook's newest pass.
    public init() { self.init(workbookId: nil, passId: nil) }
}

/// `progress.list`
public enum ProgressList: RPCMethod {
    /// The wire name.
    public static let name = "progress.list"
    /// Runs the method.
    public static func handle(_ params: NoParams, context: ConnectionContext) throws -> [WorkbookProgress] {
        try context.store.progressList()
    }
}

/// `search`
public enum Search: RPCMethod {
    /// The wire name.
    public static let name = "search"
    /// Runs the method.
    public static func handle(_ params: SearchParams, context: ConnectionContext) throws -> SearchResult {
        try context.store.search(params)
    }
}

/// `export`
public enum Export: RPCMethod {
    /// The wire name.
    public static let name = "export"
    /// Runs the method.
    public static func handle(_ params: ExportParams, context: ConnectionContext) throws -> ExportResult {
        try context.store.export(params)
    }
}

/// `import`
public enum Import: RPCMethod {
    /// The wire name.
    public static let name = "import"
    /// Runs the method.
    public static func handle(_ params: ImportParams, context: ConnectionContext) throws -> ImportResult {
        try context.store.importDocument(params, client: context.clientName)
    }
}

/// `changes.list`
public enum ChangesList: RPCMethod {
    /// The wire name.
    public static let name = "changes.list"
    /// Runs the method.
    public static func handle(_ params: ChangesListParams, context: ConnectionContext) throws -> ChangesPage {
        try context.store.changesList(params)
    }
}
