/// A method with its types erased, as the dispatcher stores it.
public struct MethodEntry<Context>: Sendable {
    /// The method name.
    public let name: String
    /// Allowed params keys (nil: any).
    public let keys: Set<String>?
    /// How an array of params is read.
    public let positional: Positional
    /// Where it runs.
    public let execution: Execution
    /// Decodes params from JSON bytes (an object, or an array for `.array`), runs, encodes the result.
    let invoke: @Sendable (_ params: [UInt8], _ context: Context) throws -> [UInt8]
    /// For `.deferred` methods: decodes params and starts the call; the completion gets the encoded
    /// result or the error (a decoding error is returned at once).
    let start: (@Sendable (_ params: [UInt8], _ context: Context,
                           _ completion: @escaping @Sendable (Result<[UInt8], any Error>) -> Void) -> Void)?

    /// Erases `method`.
    public init<M: RPCMethod>(_ method: M.Type) where M.Context == Context {
        self.init(M.self, start: nil)
    }

    /// Erases a deferred `method` (chosen over the other initializer at compile time, no cast).
    public init<M: DeferredRPCMethod>(_ method: M.Type) where M.Context == Context {
        let defaults = M.emptyParams
        self.init(M.self) { bytes, context, completion in
            let params: M.Params
            do { params = try Self.decode(M.self, bytes, defaults: defaults) } catch { return completion(.failure(error)) }
            M.start(params, context: context) { result in
                completion(result.flatMap { value in Result { try Self.encode(value) } })
            }
        }
    }

    private init<M: RPCMethod>(
        _: M.Type,
        start: (@Sendable ([UInt8], Context, @escaping @Sendable (Result<[UInt8], any Error>) -> Void) -> Void)?
    ) where M.Context == Context {
        name = M.name
        keys = M.paramKeys.map(Set.init)
        positional = M.positional
        execution = M.execution
        // Known once here, not per call (`NoParams` and other `DefaultableParams`).
        let defaults = M.emptyParams
        invoke = { bytes, context in
            try Self.encode(M.handle(Self.decode(M.self, bytes, defaults: defaults), context: context))
        }
        self.start = start
    }

    /// `M`'s params from the request's bytes; `{}` is `defaults` when the type has them.
    private static func decode<M: RPCMethod>(_: M.Type, _ bytes: [UInt8], defaults: M.Params?) throws -> M.Params {
        if let defaults, bytes.count == 2, bytes[0] == UInt8(ascii: "{"), bytes[1] == UInt8(ascii: "}") {
            return defaults
        }
        if let fast = M.fastParams(bytes) { return fast }
        do {
            return try JSONCoding.decode(M.Params.self, from: bytes)
        } catch let error as DecodingError {
            throw RPCError.invalidParams(error, params: bytes)
        }
    }

    /// A result's JSON text (`RawJSON` is spliced as it is).
    private static func encode<R: Encodable>(_ result: R) throws -> [UInt8] {
        if let raw = result as? RawJSON { return raw.bytes }
        return try JSONCoding.encode(result)
    }
}

extension RPCError {
    /// -32602 for a decoding failure of `params`. Foundation reports an integer param holding 1.5,
    /// 1e400 or 2^63 as "not valid JSON" with no coding path; the member is then found here, so the
    /// reply still names the field.
    static func invalidParams(_ error: DecodingError, params: [UInt8]) -> RPCError {
        if case let .dataCorrupted(context) = error, context.codingPath.isEmpty,
           let field = firstNonIntegerMember(params) {
            return .invalidParams("'\(field)' must be an integer", field: field)
        }
        return invalidParams(error)
    }

    /// The first top-level member of `params` holding a number that no Swift integer can take.
    private static func firstNonIntegerMember(_ params: [UInt8]) -> String? {
        params.withUnsafeBytes { buffer -> String? in
            guard case let .object(members)? = try? JSONScanner.scan(buffer, maxDepth: Int.max) else { return nil }
            for (key, range) in members where JSONScanner.kind(of: range, in: buffer) == .number {
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[range]), as: UTF8.self)
                guard let value = Double(text), value == value.rounded(), abs(value) < 9.2e18 else { return key }
            }
            return nil
        }
    }

    /// -32602 naming the coding path of a decoding failure.
    static func invalidParams(_ error: DecodingError) -> RPCError {
        func path(_ context: DecodingError.Context, _ last: CodingKey? = nil) -> String {
            let keys = context.codingPath + (last.map { [$0] } ?? [])
            let joined = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return joined.hasPrefix(".") ? String(joined.dropFirst()) : (joined.isEmpty ? "params" : joined)
        }
        switch error {
        case let .keyNotFound(key, context):
            let field = path(context, key)
            return .invalidParams("missing required parameter '\(field)'", field: field)
        case let .typeMismatch(type, context):
            let field = path(context)
            return .invalidParams("'\(field)' must be \(describe(type))", field: field)
        case let .valueNotFound(type, context):
            let field = path(context)
            return .invalidParams("'\(field)' must be \(describe(type)), not null", field: field)
        case let .dataCorrupted(context):
            let field = path(context)
            return .invalidParams("'\(field)': \(context.debugDescription)", field: field)
        @unknown default:
            return .invalidParams("\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "a boolean"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a valid \(name)"
        }
    }
}
