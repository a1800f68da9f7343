import Logging

/// Routes JSON-RPC messages to methods. Parsing and classification happen in `prepare` (cheap, on
/// the event loop); `Prepared.run` executes the calls in order and builds the reply.
public final class Dispatcher<Context>: Sendable {
    let methods: [String: MethodEntry<Context>]
    /// The limits applied to every message.
    public let limits: Limits
    let mapError: @Sendable (any Error) -> RPCError?
    let logger: Logger

    /// The names served, sorted.
    public var methodNames: [String] { methods.keys.sorted() }

    /// A dispatcher over `methods`; `mapError` turns domain errors into JSON-RPC errors (nil: -32603).
    public init(methods: [MethodEntry<Context>], limits: Limits = Limits(), logger: Logger,
                mapError: @escaping @Sendable (any Error) -> RPCError? = { _ in nil }) {
        var table: [String: MethodEntry<Context>] = [:]
        for m in methods {
            precondition(table[m.name] == nil, "method \(m.name) registered twice")
            table[m.name] = m
        }
        self.methods = table
        self.limits = limits
        self.mapError = mapError
        self.logger = logger
    }

    /// One unit of work: a call to run, or an error already decided.
    enum Unit: Sendable {
        case call(MethodEntry<Context>, id: RequestID?, params: [UInt8])
        case reply(RequestID?, RPCError)
    }

    /// A parsed message, ready to run.
    public struct Prepared: Sendable {
        let units: [Unit]
        let isBatch: Bool
        let dispatcher: Dispatcher

        /// True when every call runs inline (no blocking work).
        public var isInline: Bool {
            units.allSatisfy { if case let .call(m, _, _) = $0 { return m.execution == .inline }; return true }
        }

        /// Starts the message when it is one deferred call (not in a batch) and returns true;
        /// `completion` then gets its reply (nil for a notification), on whatever thread the call
        /// completes on. Returns false, doing nothing, for any other message.
        public func startDeferred(_ context: Context, completion: @escaping @Sendable ([UInt8]?) -> Void) -> Bool {
            guard !isBatch, units.count == 1, case let .call(entry, id, params) = units[0],
                  entry.execution == .deferred, let start = entry.start else { return false }
            let dispatcher = dispatcher
            start(params, context) { result in completion(dispatcher.reply(to: entry, id: id, result)) }
            return true
        }

        /// Runs the calls in order; returns the reply's JSON text, or nil when nothing is owed.
        public func run(_ context: Context) -> [UInt8]? {
            var replies: [[UInt8]] = []
            for unit in units {
                if let reply = dispatcher.execute(unit, context) { replies.append(reply) }
            }
            guard isBatch else { return replies.first }
            if replies.isEmpty { return nil }
            var out: [UInt8] = [UInt8(ascii: "[")]
            for (n, r) in replies.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                out += r
            }
            out.append(UInt8(ascii: "]"))
            return out
        }
    }

    /// The same message with every call replaced by `error` (shutdown): requests still get exactly
    /// one reply each, notifications none, and malformed members keep their own error.
    public func refusing(_ message: [UInt8], with error: RPCError) -> Prepared {
        let prepared = prepare(message)
        let units = prepared.units.map { unit -> Unit in
            if case let .call(_, id, _) = unit { return .reply(id, error) }
            return unit
        }
        return Prepared(units: units, isBatch: prepared.isBatch, dispatcher: self)
    }

    /// A prepared reply for a message that could not be framed (too large, bad headers).
    public func prepared(error: RPCError) -> Prepared {
        Prepared(units: [.reply(.null, error)], isBatch: false, dispatcher: self)
    }

    /// Parses and classifies one message.
    public func prepare(_ message: [UInt8]) -> Prepared {
        message.withUnsafeBytes { prepare(raw: $0) }
    }

    private func prepare(raw bytes: UnsafeRawBufferPointer) -> Prepared {
        if bytes.count > limits.maxMessageBytes {
            return prepared(error: .limitExceeded("maxMessageBytes", value: limits.maxMessageBytes))
        }
        let top: JSONScanner.TopLevel
        do {
            top = try JSONScanner.scan(bytes, maxDepth: limits.maxDepth)
        } catch {
            switch error {
            case let .syntax(reason, offset):
                return prepared(error: .parseError("\(reason) at byte \(offset)"))
            case let .tooDeep(limit):
                return prepared(error: .limitExceeded("maxDepth", value: limit))
            }
        }
        switch top {
        case let .object(members):
            return Prepared(units: [classify(members, bytes)], isBatch: false, dispatcher: self)
        case let .array(elements):
            if elements.isEmpty {
                return prepared(error: .invalidRequest("empty batch"))
            }
            if elements.count > limits.maxBatchItems {
                return prepared(error: .batchTooLarge(items: elements.count, limit: limits.maxBatchItems))
            }
            let units = elements.map { range -> Unit in
                guard JSONScanner.kind(of: range, in: bytes) == .object,
                      case let .object(members)? = try? JSONScanner.scan(
                          UnsafeRawBufferPointer(rebasing: bytes[range]), maxDepth: limits.maxDepth)
                else { return .reply(.null, .invalidRequest("a batch member must be a request object")) }
                return classify(members, UnsafeRawBufferPointer(rebasing: bytes[range]))
            }
            return Prepared(units: units, isBatch: true, dispatcher: self)
        case .scalar:
            return prepared(error: .invalidRequest("a request must be an object or a batch array"))
        }
    }
}
