import Dispatch

/// Where a method runs: on the connection's event loop (cheap, no I/O), on the blocking pool, or
/// started on the event loop and completed from another thread (`DeferredRPCMethod`).
public enum Execution: Sendable {
    /// Fast work that never waits: pure (ping, discovery) or one short, bounded read of a WAL
    /// snapshot (server.info, progress.get), run on the event loop with no thread hop.
    case inline
    /// Anything that may block (storage): runs on the thread pool, in order per connection.
    case blocking
    /// Work handed to a thread of the method's own (a save queued for group commit): a lone call
    /// starts on the event loop and its reply is written when it completes, with no pool thread
    /// waiting for it; inside a batch it runs on the pool like `blocking` and waits.
    case deferred
}

/// How a method accepts an array as params.
public enum Positional: Sendable, Equatable {
    /// By-name only: a non-empty array is -32602.
    case none
    /// Array elements map, in order, onto these names.
    case names([String])
    /// The array itself is decoded as `Params`.
    case array
}

/// A JSON-RPC method as a type: its name, its typed params and result, and its handler.
public protocol RPCMethod: Sendable {
    /// Typed params, decoded once from the request's own bytes.
    associatedtype Params: Decodable & Sendable
    /// The result, encoded once into the reply.
    associatedtype Result: Encodable & Sendable
    /// What the handler gets besides its params (per-connection state, services).
    associatedtype Context

    /// The method name on the wire.
    static var name: String { get }
    /// The params object's allowed keys; nil accepts any key (e.g. `initialize`).
    static var paramKeys: [String]? { get }
    /// How an array of params is read.
    static var positional: Positional { get }
    /// Where the handler runs.
    static var execution: Execution { get }
    /// What `{}` (and absent params) decode to, when known without the decoder (`DefaultableParams`).
    static var emptyParams: Params? { get }
    /// `params` read without the decoder when the type can (`FastDecodableParams`), else nil.
    static func fastParams(_ bytes: [UInt8]) -> Params?
    /// Handles one call.
    static func handle(_ params: Params, context: Context) throws -> Result
}

extension RPCMethod {
    /// By-name params only, by default.
    public static var positional: Positional { .none }
    /// Blocking by default: safe for anything touching storage.
    public static var execution: Execution { .blocking }
    /// Unknown by default: `{}` goes through the decoder.
    public static var emptyParams: Params? { nil }
}

extension RPCMethod {
    /// The decoder reads params, by default.
    public static func fastParams(_ bytes: [UInt8]) -> Params? { nil }
}

extension RPCMethod where Params: FastDecodableParams {
    /// Chosen at compile time, like `emptyParams`.
    public static func fastParams(_ bytes: [UInt8]) -> Params? {
        bytes.withUnsafeBytes { Params.fastDecode(JSONFields($0)) }
    }
}

/// Params with a hand-written reader for their common shapes: `JSONDecoder` cost a save about as
/// much as its SQL (and most of an `answers.saveMany`'s time on the event loop). The reader returns
/// nil for anything it does not take, and the decoder then runs and gives its exact result or
/// error, so the two can only differ in speed (`FastParamsTests` holds them to that).
public protocol FastDecodableParams: Decodable {
    /// The params in `json` (already validated), or nil to leave them to the decoder.
    static func fastDecode(_ json: JSONFields) -> Self?
}

extension RPCMethod where Params: DefaultableParams {
    /// Chosen when the method's type is compiled, not by a cast at start-up: in a static binary each
    /// first protocol cast scans every conformance record (8 % of a one-shot call's samples for the
    /// whole catalogue).
    public static var emptyParams: Params? { Params() }
}

extension RPCMethod where Params: RPCParams {
    /// The keys come from the params type.
    public static var paramKeys: [String]? { Params.keys }
}

/// A method whose work completes later, on another thread (see `Execution.deferred`). Its `handle`
/// is `start` waited for, which a batch uses.
public protocol DeferredRPCMethod: RPCMethod {
    /// Starts one call and returns at once; `completion` runs exactly once, on any thread.
    static func start(_ params: Params, context: Context,
                      completion: @escaping @Sendable (Swift.Result<Result, any Error>) -> Void)
}

extension DeferredRPCMethod {
    /// Deferred, by definition.
    public static var execution: Execution { .deferred }

    /// `start`, waited for (a batch runs its members in order on the pool).
    public static func handle(_ params: Params, context: Context) throws -> Result {
        let outcome = Outcome<Result>(), done = DispatchSemaphore(value: 0)
        start(params, context: context) { result in outcome.result = result; done.signal() }
        done.wait()
        return try outcome.result!.get()
    }
}

/// Where `DeferredRPCMethod.handle` receives its result (written before the semaphore is signalled).
private final class Outcome<Value>: @unchecked Sendable {
    var result: Swift.Result<Value, any Error>?
}

/// Params types that list their JSON keys, so unknown keys are rejected by name.
public protocol RPCParams: Decodable, Sendable {
    /// Every key the params object may hold.
    static var keys: [String] { get }
}

/// Params whose members are all optional: `{}` (and absent params) mean `init()`, which the
/// dispatcher then uses without running the JSON decoder (a shell prompt's `progress.get`).
public protocol DefaultableParams: Decodable {
    /// The value `{}` decodes to.
    init()
}

/// Params of a method that takes none (only `{}` gets past the unknown-key check).
public struct NoParams: RPCParams, DefaultableParams, Equatable {
    /// No keys are allowed.
    public static let keys: [String] = []
    /// Creates the empty value.
    public init() {}
}

/// A result that is already JSON text, spliced into the reply as is.
public struct RawJSON: Encodable, Sendable {
    /// The JSON text.
    public let bytes: [UInt8]
    /// Wraps JSON text (the caller guarantees it is valid).
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    /// Encoding through `Encoder` is not supported: the dispatcher splices the bytes directly.
    public func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(self, .init(codingPath: encoder.codingPath,
                                                     debugDescription: "RawJSON is spliced, not encoded"))
    }
}

/// An empty JSON object result, `{}`.
public struct EmptyResult: Encodable, Sendable, Equatable {
    /// Creates the value.
    public init() {}
}
