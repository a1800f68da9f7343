import Logging
import NIOCore
import NIOEmbedded
import NIOPosix
@testable import JSONRPC

/// The spec's example methods plus the server's discovery-like ones, all inline.
enum Subtract: RPCMethod {
    struct Params: RPCParams { static let keys = ["minuend", "subtrahend"]; var minuend: Int; var subtrahend: Int }
    static let name = "subtract"
    static let positional = Positional.names(["minuend", "subtrahend"])
    static let execution = Execution.inline
    static func handle(_ p: Params, context: TestContext) throws -> Int { p.minuend - p.subtrahend }
}
enum Sum: RPCMethod {
    static let name = "sum"
    static let paramKeys: [String]? = []
    static let positional = Positional.array
    static let execution = Execution.inline
    static func handle(_ p: [Int], context: TestContext) throws -> Int { p.reduce(0, +) }
}
enum GetData: RPCMethod {
    static let name = "get_data"
    static let execution = Execution.inline
    static func handle(_ p: NoParams, context: TestContext) throws -> RawJSON { RawJSON(Array(#"["hello",5]"#.utf8)) }
}
enum NotifyHello: RPCMethod {
    static let name = "notify_hello"
    static let paramKeys: [String]? = []
    static let positional = Positional.array
    static let execution = Execution.inline
    static func handle(_ p: [Int], context: TestContext) throws -> EmptyResult { context.record("hello \(p)"); return EmptyResult() }
}
enum NotifySum: RPCMethod {
    static let name = "notify_sum"
    static let paramKeys: [String]? = []
    static let positional = Positional.array
    static let execution = Execution.inline
    static func handle(_ p: [Int], context: TestContext) throws -> EmptyResult { context.record("sum \(p)"); return EmptyResult() }
}
enum Update: RPCMethod {
    static let name = "update"
    static let paramKeys: [String]? = []
    static let positional = Positional.array
    static let execution = Execution.inline
    static func handle(_ p: [Int], context: TestContext) throws -> EmptyResult { context.record("update \(p)"); return EmptyResult() }
}
enum Foobar: RPCMethod {
    static let name = "foobar_exists_only_as_notification_target"
    static let execution = Execution.inline
    static func handle(_ p: NoParams, context: TestContext) throws -> EmptyResult { EmptyResult() }
}
enum Ping: RPCMethod {
    static let name = "server.ping"
    static let execution = Execution.inline
    static func handle(_ p: NoParams, context: TestContext) throws -> EmptyResult { EmptyResult() }
}
enum Init: RPCMethod {
    struct Params: Decodable, Sendable {}
    static let name = "initialize"
    static let paramKeys: [String]? = nil
    static let execution = Execution.inline
    static func handle(_ p: Params, context: TestContext) throws -> EmptyResult { EmptyResult() }
}
/// Fails with a plain Swift error: must become -32603 without details.
enum Boom: RPCMethod {
    struct Secret: Error {}
    static let name = "boom"
    static let execution = Execution.inline
    static func handle(_ p: NoParams, context: TestContext) throws -> EmptyResult { throw Secret() }
}

/// Deferred: completes when the test calls `TestContext.complete` (or at once with `now: true`).
enum Held: DeferredRPCMethod {
    struct Params: RPCParams { static let keys = ["value", "now", "fail"]; var value: Int; var now: Bool?; var fail: Bool? }
    typealias Result = Int
    typealias Context = TestContext
    static let name = "held"
    static func start(_ p: Params, context: TestContext, completion: @escaping @Sendable (Swift.Result<Int, any Error>) -> Void) {
        let outcome: Swift.Result<Int, any Error> = p.fail == true
            ? .failure(RPCError.invalidParams("held \(p.value) failed", field: "fail")) : .success(p.value * 10)
        if p.now == true { completion(outcome) } else { context.hold { completion(outcome) } }
    }
}

final class TestContext: Sendable {
    private let log = NIOLockedValueBox<[String]>([])
    private let held = NIOLockedValueBox<[@Sendable () -> Void]>([])
    func record(_ s: String) { log.withLockedValue { $0.append(s) } }
    var recorded: [String] { log.withLockedValue { $0 } }
    /// Keeps a deferred call's completion until `completeHeld`.
    func hold(_ completion: @escaping @Sendable () -> Void) { held.withLockedValue { $0.append(completion) } }
    /// Runs the held completions, oldest first; returns how many ran.
    @discardableResult func completeHeld() -> Int {
        let all = held.withLockedValue { h in defer { h = [] }; return h }
        for completion in all { completion() }
        return all.count
    }
}

struct TestService: RPCService {
    let dispatcher: Dispatcher<TestContext>
    let context = TestContext()
    init(limits: Limits = Limits(), spec: Bool) {
        var methods: [MethodEntry<TestContext>] = [MethodEntry(Ping.self), MethodEntry(Init.self), MethodEntry(Boom.self),
                                                    MethodEntry(Held.self)]
        if spec {
            methods += [MethodEntry(Subtract.self), MethodEntry(Sum.self), MethodEntry(GetData.self),
                        MethodEntry(NotifyHello.self), MethodEntry(NotifySum.self), MethodEntry(Update.self)]
        }
        dispatcher = Dispatcher(methods: methods, limits: limits, logger: Logger(label: "test"))
    }
    func open(_ connection: RPCConnection) -> TestContext { context }
    func close(_ context: TestContext) {}
}

import NIOConcurrencyHelpers

/// The in-memory transport: the real framing decoder and channel handler on an EmbeddedChannel.
final class MemoryConnection {
    let channel = EmbeddedChannel()
    static let pool: NIOThreadPool = { let p = NIOThreadPool(numberOfThreads: 1); p.start(); return p }()

    init(service: TestService) throws {
        let connection = RPCConnection(transport: "memory", number: 1, channel: channel, maxQueued: 100)
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(FramingDetector(maxBytes: service.dispatcher.limits.maxMessageBytes)))
        try channel.pipeline.syncOperations.addHandler(
            RPCChannelHandler(service: service, connection: connection, threadPool: Self.pool, logger: Logger(label: "test")))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    func send(_ bytes: [UInt8]) throws {
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        try channel.writeInbound(buffer)
    }

    /// Everything written so far, as one byte array.
    func output() throws -> [UInt8] {
        var out: [UInt8] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { out += buffer.readableBytesView }
        return out
    }
}
