import Logging

extension Dispatcher {
    /// Checks a request object in the order PROTOCOL.md fixes: structure, then method, then params.
    func classify(_ members: [(key: String, value: Range<Int>)], _ bytes: UnsafeRawBufferPointer) -> Unit {
        var version: Range<Int>?, method: Range<Int>?, params: Range<Int>?, idRange: Range<Int>?
        for (key, value) in members {
            switch key {
            case "jsonrpc": version = value
            case "method": method = value
            case "params": params = value
            case "id": idRange = value
            default: continue
            }
        }
        // The id first, so structural errors can echo it when it is readable.
        var id: RequestID?
        if let idRange {
            switch JSONScanner.kind(of: idRange, in: bytes) {
            case .string, .number, .null: id = RequestID(json: Array(bytes[idRange]))
            default: return .reply(.null, .invalidRequest("id must be a string, a number or null"))
            }
        }
        let replyID = id ?? .null
        guard let version, JSONScanner.kind(of: version, in: bytes) == .string,
              JSONScanner.unescape(bytes, version) == "2.0"
        else { return .reply(replyID, .invalidRequest("\"jsonrpc\" must be exactly \"2.0\"")) }
        guard let method, JSONScanner.kind(of: method, in: bytes) == .string else {
            return .reply(replyID, .invalidRequest("\"method\" must be a string"))
        }
        var paramsKind: JSONScanner.Kind = .null
        if let params {
            paramsKind = JSONScanner.kind(of: params, in: bytes)
            switch paramsKind {
            case .object, .array, .null: break
            default: return .reply(replyID, .invalidRequest("\"params\" must be an object or an array"))
            }
        }
        let name = JSONScanner.unescape(bytes, method)
        guard let entry = methods[name] else { return .reply(id, .methodNotFound(name)) }
        switch normalizeParams(entry, params.map { bytes[$0] }, paramsKind) {
        case let .success(object): return .call(entry, id: id, params: object)
        case let .failure(error): return .reply(id, error)
        }
    }

    /// Turns the params member into the bytes the method decodes: `{}` for none, the object as is,
    /// or an array mapped onto names.
    private func normalizeParams(_ entry: MethodEntry<Context>, _ raw: Slice<UnsafeRawBufferPointer>?,
                                 _ kind: JSONScanner.Kind) -> Result<[UInt8], RPCError> {
        guard let raw else { return .success(Array("{}".utf8)) }
        let buffer = UnsafeRawBufferPointer(rebasing: raw)
        // Already validated as part of the message: scanning again only splits it.
        guard let top = try? JSONScanner.scan(buffer, maxDepth: Int.max) else { return .success(Array("{}".utf8)) }
        switch top {
        case .scalar: return .success(Array("{}".utf8))  // null
        case let .object(members):
            if let keys = entry.keys, let unknown = members.first(where: { !keys.contains($0.key) }) {
                return .failure(.invalidParams("unknown parameter '\(unknown.key)'", field: unknown.key))
            }
            return .success(Array(buffer))
        case let .array(elements):
            if elements.isEmpty { return .success(entry.positional == .array ? Array("[]".utf8) : Array("{}".utf8)) }
            switch entry.positional {
            case .none:
                return .failure(.invalidParams("\(entry.name) takes params by name (an object), not an array"))
            case .array:
                return .success(Array(buffer))
            case let .names(names):
                guard elements.count <= names.count else {
                    return .failure(.invalidParams("\(entry.name) takes at most \(names.count) positional params"))
                }
                var object: [UInt8] = [UInt8(ascii: "{")]
                for (n, range) in elements.enumerated() {
                    if n > 0 { object.append(UInt8(ascii: ",")) }
                    object += JSONScanner.quote(names[n])
                    object.append(UInt8(ascii: ":"))
                    object += buffer[range]
                }
                object.append(UInt8(ascii: "}"))
                return .success(object)
            }
        }
    }

    /// Runs one unit; nil for notifications (which are never answered).
    func execute(_ unit: Unit, _ context: Context) -> [UInt8]? {
        switch unit {
        case let .reply(id, error):
            return id.map { Reply.failure(id: $0, error: error) }
        case let .call(entry, id, params):
            return reply(to: entry, id: id, Result { try entry.invoke(params, context) })
        }
    }

    /// The reply owed for a call's outcome (nil for a notification).
    func reply(to entry: MethodEntry<Context>, id: RequestID?, _ result: Result<[UInt8], any Error>) -> [UInt8]? {
        guard let id else { return nil }
        switch result {
        case let .success(bytes): return Reply.success(id: id, result: bytes)
        case let .failure(error): return Reply.failure(id: id, error: rpcError(for: error, method: entry.name))
        }
    }

    private func rpcError(for error: any Error, method: String) -> RPCError {
        if let rpc = error as? RPCError { return rpc }
        if let mapped = mapError(error) { return mapped }
        logger.error("\(method) failed: \(String(reflecting: error))")
        return .internalError
    }
}
