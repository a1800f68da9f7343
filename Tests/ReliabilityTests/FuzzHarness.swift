import Foundation
import JSONRPC
import Logging
import NIOCore
import NIOEmbedded
import WorkbookServer

/// A violated invariant, with the input that violated it.
struct FuzzFinding: Error, CustomStringConvertible {
    let description: String
}

/// What one input exercised.
struct FuzzOutcome {
    var messages = 0
    var replies = 0
}

/// The fuzz target shared by the libFuzzer build (Tests/Fuzz/FuzzEntry.swift, scripts/fuzz.sh) and the
/// replay in `swift test` (FuzzReplayTests): the framing decoders, the dispatcher and every method of
/// the real catalogue on an in-memory store. Each input is run twice: as one message (a WebSocket
/// frame or a Content-Length body) and as a byte stream cut into two reads at a point the input picks.
/// Invariants: no crash, no hang (the caller times runs), no -32603, every reply is a well-formed
/// JSON-RPC response, a request with an id gets exactly one reply (echoing a string id), a batch gets
/// one reply per member that is not a notification, and a notification gets none.
final class FuzzHarness {
    static let limits = Limits(maxMessageBytes: 1 << 16, maxBatchItems: 100, maxDepth: 64)
    private var service: WorkbookService
    private var context: ConnectionContext
    private var runs = 0

    init() throws {
        (service, context) = try Self.makeService()
    }

    private static func makeService() throws -> (WorkbookService, ConnectionContext) {
        let logger = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = try WorkbookApp(configuration: ServerConfiguration(databasePath: ":memory:", limits: limits,
                                                                     maxAnswerBytes: 1 << 14),
                                  logger: logger)
        return (WorkbookService(app: app), ConnectionContext(app: app, connection: nil))
    }

    /// The application behind the harness (for integrity checks).
    var app: WorkbookApp { service.app }

    /// Runs one input; throws the first invariant it breaks.
    @discardableResult
    func run(_ data: [UInt8]) throws -> FuzzOutcome {
        runs += 1
        if runs % 5_000 == 0 { (service, context) = try Self.makeService() }  // keeps memory bounded
        var outcome = FuzzOutcome()
        try check(data, &outcome)
        for frame in try frames(data) {
            switch frame {
            case let .message(buffer, _): try check(Array(buffer.readableBytesView), &outcome)
            case .tooLarge, .malformedHeader: outcome.messages += 1
            }
        }
        return outcome
    }

    /// The frames the connection's decoders cut from `data` when it arrives in two reads, then EOF.
    private func frames(_ data: [UInt8]) throws -> [InboundFrame] {
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish() }
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(FramingDetector(maxBytes: Self.limits.maxMessageBytes)))
        let cut = data.isEmpty ? 0 : Int(data[data.count / 2]) % (data.count + 1)
        for part in [data[..<cut], data[cut...]] where !part.isEmpty {
            try channel.writeInbound(channel.allocator.buffer(bytes: part))
        }
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        var out: [InboundFrame] = []
        while let frame = try channel.readInbound(as: InboundFrame.self) { out.append(frame) }
        return out
    }

    /// Dispatches one message and checks the reply against an independent reading of the message.
    private func check(_ message: [UInt8], _ outcome: inout FuzzOutcome) throws {
        outcome.messages += 1
        let reply = service.dispatcher.prepare(message).run(context)
        let sent = try? JSONSerialization.jsonObject(with: Data(message), options: [.fragmentsAllowed])
        func fail(_ why: String) -> FuzzFinding {
            FuzzFinding(description: "\(why)\n  message: \(Self.show(message))\n  reply: \(reply.map(Self.show) ?? "none")")
        }
        guard let reply else {
            if let batch = sent as? [Any] {
                if batch.isEmpty || batch.count > Self.limits.maxBatchItems || batch.contains(where: Self.owesReply) {
                    throw fail("a batch that is owed a reply got none")
                }
            } else if let sent, Self.owesReply(sent) {
                throw fail("a request got no reply")
            }
            return
        }
        outcome.replies += 1
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(reply), options: [.fragmentsAllowed]) else {
            // RFC 8259 allows lone surrogate escapes, Foundation does not: an id echoed byte for byte
            // from such a request is still JSON, which the (grammar-level) scanner confirms.
            let grammatical = reply.withUnsafeBytes { (try? JSONScanner.scan($0, maxDepth: 1 << 20)) != nil }
            if grammatical, sent == nil { return }
            throw fail("the reply is not JSON")
        }
        let objects: [Any]
        if let list = parsed as? [Any] {
            guard !list.isEmpty else { throw fail("an empty batch reply") }
            objects = list
        } else {
            objects = [parsed]
        }
        for object in objects {
            if let why = Self.malformed(object) { throw fail(why) }
        }
        // The scanner is stricter than Foundation (depth 64, size) and Foundation rejects a few
        // things the scanner accepts (lone surrogate escapes): only compare where both read the text.
        let firstCode = ((parsed as? [String: Any])?["error"] as? [String: Any])?["code"] as? Int
        if firstCode == -32700 || firstCode == -32000 { return }
        guard let sent else { return }
        if let batch = sent as? [Any] {
            if batch.isEmpty || batch.count > Self.limits.maxBatchItems {
                guard parsed is [String: Any] else { throw fail("an empty or oversized batch must get one error object") }
                return
            }
            let owed = batch.filter(Self.owesReply).count
            guard let list = parsed as? [Any], list.count == owed else {
                throw fail("a batch owed \(owed) replies")
            }
        } else {
            guard Self.owesReply(sent) else { throw fail("a notification got a reply") }
            guard let object = parsed as? [String: Any] else { throw fail("a single request got a batch reply") }
            if let id = (sent as? [String: Any])?["id"] as? String, object["id"] as? String != id {
                throw fail("the id was not echoed")
            }
        }
    }

    /// True unless `element` is a well-formed notification (which must never be answered).
    static func owesReply(_ element: Any) -> Bool {
        guard let request = element as? [String: Any] else { return true }
        if request["id"] != nil { return true }
        guard request["jsonrpc"] as? String == "2.0", request["method"] is String else { return true }
        if let params = request["params"], !(params is [String: Any] || params is [Any] || params is NSNull) { return true }
        return false
    }

    /// Why `object` is not a JSON-RPC 2.0 response (nil when it is one).
    static func malformed(_ object: Any) -> String? {
        guard let reply = object as? [String: Any] else { return "a reply that is not an object" }
        guard reply["jsonrpc"] as? String == "2.0" else { return "a reply without \"jsonrpc\":\"2.0\"" }
        guard reply.keys.contains("id") else { return "a reply without an id" }
        switch (reply["result"], reply["error"]) {
        case (.some, nil): return nil
        case (nil, let error as [String: Any]):
            guard let code = error["code"] as? Int, error["message"] is String else { return "a malformed error object" }
            if code == -32603 { return "an internal error (-32603): a failure no one mapped" }
            return nil
        default: return "a reply needs exactly one of result and error"
        }
    }

    /// Bytes as printable text, shortened.
    static func show(_ bytes: [UInt8]) -> String {
        let head = bytes.prefix(600).map { b -> String in
            (0x20..<0x7F).contains(b) && b != UInt8(ascii: "\\") ? String(UnicodeScalar(b)) : String(format: "\\x%02x", b)
        }.joined()
        return bytes.count > 600 ? head + "…(\(bytes.count) bytes)" : head
    }
}
