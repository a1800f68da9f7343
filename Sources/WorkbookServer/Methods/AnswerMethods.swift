import JSONRPC
import Workbook

/// `answers.save`: deferred, so the event loop hands the save to the group-commit thread and no
/// pool thread waits for the fsync.
public enum AnswersSave: DeferredSaveMethod {
    /// The wire name.
    public static let name = "answers.save"
    /// The params (named: inference does not reach through `start`).
    public typealias Params = AnswersSaveParams
    /// Starts the save; the result is hand-encoded (see `ResultJSON`).
    public static func start(_ params: AnswersSaveParams, context: ConnectionContext,
                             completion: @escaping @Sendable (Swift.Result<RawJSON, any Error>) -> Void) {
        context.store.answersSave(params, client: context.clientName, completion: rawJSON(ResultJSON.encode, completion))
    }
}

/// `answers.saveMany`, deferred like `answers.save`.
public enum AnswersSaveMany: DeferredSaveMethod {
    /// The wire name.
    public static let name = "answers.saveMany"
    /// The params (named: inference does not reach through `start`).
    public typealias Params = AnswersSaveManyParams
    /// Starts the saves; the result is hand-encoded (see `ResultJSON`).
    public static func start(_ params: AnswersSaveManyParams, context: ConnectionContext,
                             completion: @escaping @Sendable (Swift.Result<RawJSON, any Error>) -> Void) {
        context.store.answersSaveMany(params, client: context.clientName, completion: rawJSON(ResultJSON.encode, completion))
    }
}

/// A save handed to the group-commit thread (its type fixes the context and the hand-encoded result).
public protocol DeferredSaveMethod: DeferredRPCMethod where Context == ConnectionContext, Result == RawJSON {}

/// A store completion that hands `encode`d results (or the error) to a deferred method's completion.
private func rawJSON<T>(_ encode: @escaping @Sendable (T) -> [UInt8],
                        _ completion: @escaping @Sendable (Swift.Result<RawJSON, any Error>) -> Void)
    -> @Sendable (Swift.Result<T, WorkbookError>) -> Void {
    { result in completion(result.map { RawJSON(encode($0)) }.mapError { $0 }) }
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
