import JSONRPC
import Workbook

/// `answers.save`: deferred, so the event loop hands the save to the group-commit thread and no
/// pool thread waits for the fsync.
public enum AnswersSave: DeferredRPCMethod {
    /// The wire name.
    public static let name = "answers.save"
    public typealias Params = AnswersSaveParams
    public typealias Result = RawJSON
    public typealias Context = ConnectionContext
    /// Starts the save; the result is hand-encoded (see `ResultJSON`).
    public static func start(_ params: AnswersSaveParams, context: ConnectionContext,
                             completion: @escaping @Sendable (Swift.Result<RawJSON, any Error>) -> Void) {
        context.store.answersSave(params, client: context.clientName) { result in
            completion(result.map { RawJSON(ResultJSON.encode($0)) }.mapError { $0 })
        }
    }
}

/// `answers.saveMany`, deferred like `answers.save`.
public enum AnswersSaveMany: DeferredRPCMethod {
    /// The wire name.
    public static let name = "answers.saveMany"
    public typealias Params = AnswersSaveManyParams
    public typealias Result = RawJSON
    public typealias Context = ConnectionContext
    /// Starts the saves; the result is hand-encoded (see `ResultJSON`).
    public static func start(_ params: AnswersSaveManyParams, context: ConnectionContext,
                             completion: @escaping @Sendable (Swift.Result<RawJSON, any Error>) -> Void) {
        context.store.answersSaveMany(params, client: context.clientName) { result in
            completion(result.map { RawJSON(ResultJSON.encode($0)) }.mapError { $0 })
        }
    }
}

/// `answers.get`
public enum AnswersGet: RPCMethod {
    /// The wire name.
    public static let name = "answers.get"
    /// Runs the method.
    public static func handle(_ params: AnswersGetParams, context: ConnectionContext) throws -> Answer? {
        try context.store.answersGet(params)
    }
}

/// `answers.list`
public enum AnswersList: RPCMethod {
    /// The wire name.
    public static let name = "answers.list"
    /// Runs the method.
    public static func handle(_ params: AnswersListParams, context: ConnectionContext) throws -> [Answer] {
        try context.store.answersList(params)
    }
}

/// `answers.history`
public enum AnswersHistory: RPCMethod {
    /// The wire name.
    public static let name = "answers.history"
    /// Runs the method.
    public static func handle(_ params: AnswersHistoryParams, context: ConnectionContext) throws -> [Revision] {
        try context.store.answersHistory(params)
    }
}

/// `answers.skip`
public enum AnswersSkip: RPCMethod {
    /// The wire name.
    public static let name = "answers.skip"
    /// Runs the method.
    public static func handle(_ params: AnswersSkipParams, context: ConnectionContext) throws -> AnswersSaveResult {
        try context.store.answersSkip(params, client: context.clientName)
    }
}

/// `answers.restore`
public enum AnswersRestore: RPCMethod {
    /// The wire name.
    public static let name = "answers.restore"
    /// Runs the method.
    public static func handle(_ params: AnswersRestoreParams, context: ConnectionContext) throws -> AnswersSaveResult {
        try context.store.answersRestore(params, client: context.clientName)
    }
}

/// `answers.delete`
public enum AnswersDelete: RPCMethod {
    /// The wire name.
    public static let name = "answers.delete"
    /// Runs the method.
    public static func handle(_ params: AnswersDeleteParams, context: ConnectionContext) throws -> DeleteResult {
        try context.store.answersDelete(params, client: context.clientName)
    }
}

/// `data.erase`
public enum DataErase: RPCMethod {
    /// The wire name.
    public static let name = "data.erase"
    /// Runs the method.
    public static func handle(_ params: DataEraseParams, context: ConnectionContext) throws -> DeleteResult {
        try context.store.dataErase(params, client: context.clientName)
    }
}
