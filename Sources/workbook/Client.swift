import ArgumentParser
import Foundation
import JSONRPC
import Workbook
import WorkbookServer

/// Typed calls for the client subcommands, with PROTOCOL.md's exit codes on failure.
struct Client {
    let caller: any RPCCaller

    init(_ endpoint: some Endpoint) throws { caller = try endpoint.caller() }

    /// A client on `caller` (e.g. `EndpointOptions.directCaller()`).
    init(caller: any RPCCaller) { self.caller = caller }

    /// Calls `method` and decodes its result; an error reply is printed and exits with its code.
    func call<R: Decodable>(_ method: String, _ params: some Encodable, as: R.Type = R.self) throws -> R {
        let text = String(decoding: try JSONCoding.encode(params), as: UTF8.self)
        switch try caller.call(method, params: text) {
        case let .success(json): return try JSONDecoder().decode(R.self, from: Data(json.utf8))
        case let .failure(reply):
            throw CLIError(exitCode: CLIError.exitCode(for: reply), message: "workbook: \(reply.message)")
        }
    }
}

/// `{}` as params.
struct Empty: Codable {}

/// Options naming the workbook and pass.
struct ScopeOptions: ParsableArguments {
    @Option(help: "The workbook id (default: the default workbook).") var workbook: String?
    @Option(help: "The pass id (default: the newest).") var pass: String?
}

/// Runs `body`, turning failures into a message on stderr and the right exit code.
func guarded(_ body: () throws -> Void) throws {
    do { try body() } catch let error as ExitCode { throw error } catch let error as CleanExit { throw error } catch {
        fail(error)
    }
}
