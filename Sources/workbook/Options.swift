import ArgumentParser
import Foundation
import JSONRPC
import Logging
import WorkbookServer

/// Where a client command sends its calls.
struct EndpointOptions: ParsableArguments {
    @Option(name: .long, help: "Talk to the server on this Unix socket.")
    var socket: String?

    @Option(name: .long, help: "Work on this database file directly, without a server.")
    var database: String?

    /// The caller to use: the database when named, else the socket when named (it must answer), else
    /// the default socket when a server answers there, else the default database directly.
    func caller() throws -> any RPCCaller {
        if let database { return try local(database) }
        if let socket {
            do { return try identified(SocketCaller(path: socket)) } catch {
                throw CLIError(exitCode: 69, message: "server unreachable: \(error)")
            }
        }
        if let caller = try? SocketCaller(path: SocketPath.defaultPath()) { return try identified(caller) }
        return try local(ServerConfiguration.defaultDatabasePath())
    }

    /// Names this client on the connection, so revisions it saves say "workbook-cli" as they do with --database.
    private func identified(_ caller: SocketCaller) throws -> SocketCaller {
        _ = try caller.call("initialize", params: #"{"clientInfo":{"name":"workbook-cli"}}"#)
        return caller
    }

    private func local(_ path: String) throws -> any RPCCaller {
        var logger = Logger(label: "workbook") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .error
        let configuration = ServerConfiguration(databasePath: path,
                                                packsDirectory: ServerConfiguration.defaultPacksDirectory())
        do {
            return LocalCaller(app: try WorkbookApp(configuration: configuration, logger: logger))
        } catch {
            throw CLIError(exitCode: 1, message: "cannot open \(path): \(error)")
        }
    }
}

/// A failure with the exit code PROTOCOL.md assigns.
struct CLIError: Error, CustomStringConvertible {
    var exitCode: Int32
    var message: String
    var description: String { message }

    /// The exit code for a JSON-RPC error reply: 3 not found, 4 conflict, 1 otherwise.
    static func exitCode(for reply: RPCErrorReply) -> Int32 {
        switch reply.code {
        case 1001...1003: return 3
        case 1004: return 4
        default: return 1
        }
    }
}

/// Prints `error` on stderr and exits with its code.
func fail(_ error: any Error) -> Never {
    if let cli = error as? CLIError {
        FileHandle.standardError.write(Data((cli.message + "\n").utf8))
        exit(cli.exitCode)
    }
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}

/// Writes to stdout.
func output(_ text: String) {
    FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}
