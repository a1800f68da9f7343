#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import JSONRPC

/// An error reply as a client sees it.
public struct RPCErrorReply: Error, Sendable, Equatable {
    /// The code.
    public var code: Int
    /// The message.
    public var message: String
    /// The whole error object as JSON text.
    public var json: String
}

/// Anything that can carry one call: the socket, or the service in-process.
public protocol RPCCaller {
    /// Sends `method` with params JSON text (nil: none); returns the result's JSON text.
    func call(_ method: String, params: String?) throws -> Result<String, RPCErrorReply>
}

private struct ErrorObject: Decodable { var code: Int; var message: String }

/// Why a call could not be carried at all.
public struct TransportFailure: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let description: String
}

extension RPCCaller {
    /// Builds a request and decodes the reply envelope.
    static func request(_ id: Int, _ method: String, _ params: String?) -> [UInt8] {
        var out = Array(#"{"jsonrpc":"2.0","id":"#.utf8) + Array(String(id).utf8)
        out += #","method":"#.utf8 + JSONScanner.quote(method)
        if let params { out += #","params":"#.utf8 + Array(params.utf8) }
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func decodeReply(_ bytes: [UInt8]) throws -> Result<String, RPCErrorReply> {
        let members: [(key: String, value: Range<Int>)]
        do {
            guard case let .object(m) = try bytes.withUnsafeBytes({ try JSONScanner.scan($0, maxDepth: 10_000) }) else {
                throw TransportFailure(description: "reply is not an object")
            }
            members = m
        } catch let error as TransportFailure { throw error } catch {
            throw TransportFailure(description: "unreadable reply: \(error)")
        }
        for (key, range) in members where key == "result" {
            return .success(String(decoding: bytes[range], as: UTF8.self))
        }
        for (key, range) in members where key == "error" {
            let json = String(decoding: bytes[range], as: UTF8.self)
            let e = try JSONDecoder().decode(ErrorObject.self, from: Data(bytes[range]))
            return .failure(RPCErrorReply(code: e.code, message: e.message, json: json))
        }
        throw TransportFailure(description: "reply has neither result nor error")
    }
}

/// The service in-process, on a database opened directly (`--database`).
public struct LocalCaller: RPCCaller {
    let service: WorkbookService
    let context: ConnectionContext

    /// A caller over `app`.
    public init(app: WorkbookApp, clientName: String = "workbook-cli") {
        service = WorkbookService(app: app)
        context = ConnectionContext(app: app, connection: nil)
        context.clientName = clientName
    }

    /// Runs the call through the same dispatcher the transports use.
    public func call(_ method: String, params: String?) throws -> Result<String, RPCErrorReply> {
        guard let reply = service.handle(message: Self.request(1, method, params), context: context) else {
            throw TransportFailure(description: "no reply")
        }
        return try Self.decodeReply(reply)
    }
}
