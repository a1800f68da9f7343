import JSONRPC

/// Every method the server serves: the registry, `rpc.discover` and the tests all read this list.
public enum MethodCatalogue {
    /// The methods, erased for the dispatcher.
    public static let all: [MethodEntry<ConnectionContext>] = [
        MethodEntry(RPCDiscover.self),
        MethodEntry(ServerInfo.self),
        MethodEntry(ServerPing.self),
        MethodEntry(Initialize.self),
        MethodEntry(WorkbooksList.self),
        MethodEntry(WorkbooksGet.self),
        MethodEntry(PromptsGet.self),
        MethodEntry(PromptsNext.self),
        MethodEntry(AnswersSave.self),
        MethodEntry(AnswersSaveMany.self),
        MethodEntry(AnswersGet.self),
        MethodEntry(AnswersList.self),
        MethodEntry(AnswersHistory.self),
        MethodEntry(AnswersSkip.self),
        MethodEntry(AnswersRestore.self),
        MethodEntry(AnswersDelete.self),
        MethodEntry(DataErase.self),
        MethodEntry(PassesList.self),
        MethodEntry(PassesStart.self),
        MethodEntry(PassesGet.self),
        MethodEntry(PassesClose.self),
        MethodEntry(PassesDelete.self),
        MethodEntry(ProgressGet.self),
        MethodEntry(ProgressList.self),
        MethodEntry(Search.self),
        MethodEntry(Export.self),
        MethodEntry(Import.self),
        MethodEntry(ChangesList.self),
        MethodEntry(Subscribe.self),
        MethodEntry(Unsubscribe.self),
    ]

    /// Optional features reported by `server.info`.
    public static let capabilities: [String] = ["framing.ndjson", "framing.headers", "batch", "subscriptions"]
}
