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

    /// Erases `method`.
    public init<M: RPCMethod>(_ method: M.Type) where M.Context == Context {
        name = M.name
        keys = M.paramKeys.map(Set.init)
        positional = M.positional
        execution = M.execution
        invoke = { bytes, context in
            let params: M.Params
            if let none = NoParams() as? M.Params {
                params = none
            } else {
                do {
                    params = try JSONCoding.decode(M.Params.self, from: bytes)
                } catch let error as DecodingError {
                    throw RPCError.invalidParams(error)
                }
            }
            let result = try M.handle(params, context: context)
            if let raw = result as? RawJSON { return raw.bytes }
            return try JSONCoding.encode(result)
        }
    }
}

extension RPCError {
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
