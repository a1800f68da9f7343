import ArgumentParser
import Foundation
import JSONRPC
import WorkbookServer

/// `workbook call METHOD [PARAMS-JSON | -]`
struct Call: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call", abstract: "Call one method and print its result as compact JSON.",
        discussion: "Exit codes: 0 ok, 1 error, 3 not found, 4 conflict, 64 usage, 69 server unreachable.")

    @Argument(help: "The method, e.g. server.ping or progress.get.")
    var method: String

    @Argument(help: "Params as one JSON text, or - to read them from stdin.")
    var params: String?

    @OptionGroup var endpoint: EndpointOptions

    func run() throws {
        var text = params
        if text == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        text = text.map(Self.oneLine)
        do {
            switch try endpoint.caller().call(method, params: text) {
            case let .success(result): output(result)
            case let .failure(reply):
                FileHandle.standardError.write(Data((reply.json + "\n").utf8))
                throw ExitCode(CLIError.exitCode(for: reply))
            }
        } catch let error as ExitCode { throw error } catch { fail(error) }
    }
}

extension Call {
    /// `json` with its line breaks between tokens turned into spaces, so pretty-printed params fit
    /// in one NDJSON line; breaks inside strings (invalid JSON) are left for the server to refuse.
    static func oneLine(_ json: String) -> String {
        var bytes = Array(json.utf8)
        var inString = false, escaped = false
        for i in bytes.indices {
            let b = bytes[i]
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == 10 || b == 13 {
                bytes[i] = UInt8(ascii: " ")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// `workbook openrpc`
struct OpenRPC: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "openrpc", abstract: "Print the OpenRPC document.")
    func run() throws { output(String(decoding: OpenRPCDocument.bytes, as: UTF8.self)) }
}

/// `workbook status`
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Tell whether a server is running, and on which database.")
    @Option(name: .long, help: "The socket to check (default: the default socket).")
    var socket: String?

    func run() throws {
        let path = socket ?? SocketPath.defaultPath()
        guard let caller = try? SocketCaller(path: path) else {
            output("no server on \(path)")
            throw ExitCode(69)
        }
        switch try caller.call("server.info", params: nil) {
        case let .success(json):
            let info = try JSONDecoder().decode(ServerInfoResult.self, from: Data(json.utf8))
            output("server on \(path) (version \(info.version)), database \(info.database), \(info.connections ?? 0) open connections (this one included)")
        case let .failure(reply): fail(CLIError(exitCode: 1, message: reply.json))
        }
    }
}
