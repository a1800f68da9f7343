import ArgumentParser
import Foundation
import JSONRPC
import Logging
import WorkbookServer

/// Where a client command sends its calls: the `--socket` and `--database` options.
struct EndpointOptions: ParsableArguments, Endpoint {
    @Option(name: .long, help: "Talk to the server on this Unix socket.")
    var socket: String?

    @Option(name: .long, help: "Work on this database file directly, without a server.")
    var database: String?
}

/// A socket and/or database path, however they were given (options, or `FastPath`'s own parsing).
protocol Endpoint {
    /// The server's socket, if named.
    var socket: String? { get }
    /// The database file, if named.
    var database: String? { get }
}

/// An endpoint from plain values.
struct PlainEndpoint: Endpoint {
    var socket: String?
    var database: String?
}

extension Endpoint {
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

    /// The caller for `import` and `export`, which work on a database file directly whenever one is
    /// known, so a document of any size gets through (a socket message stops at the server's 4 MiB
    /// limit; SQLite lets the CLI share the file with the server, whose subscribers still hear of an
    /// import through its file watcher): --database, else the running server's database (from
    /// `server.info`) when this user can open it, else the socket, else the default database.
    func directCaller() throws -> any RPCCaller {
        if let database { return try local(database, unlimited: true) }
        var server: SocketCaller?
        if let socket {
            do { server = try SocketCaller(path: socket) } catch {
                throw CLIError(exitCode: 69, message: "server unreachable: \(error)")
            }
        } else {
            server = try? SocketCaller(path: SocketPath.defaultPath())
        }
        guard let server else { return try local(ServerConfiguration.defaultDatabasePath(), unlimited: true) }
        if let path = Self.databaseId(of: server).flatMap({ $0.path.hasPrefix("/") ? $0 : nil }),
           FileManager.default.isReadableFile(atPath: path.path),
           let direct = try? local(path.path, unlimited: true), Self.databaseId(of: direct)?.id == path.id {
            return direct
        }
        return try identified(server)
    }

    /// The database path and id `caller` reports in `server.info` (a relative path or `:memory:` is
    /// not one this process could open; the id proves it opened the same file).
    private static func databaseId(of caller: any RPCCaller) -> (path: String, id: String)? {
        guard case let .success(json)? = try? caller.call("server.info", params: nil),
              let info = try? JSONDecoder().decode(ServerInfoResult.self, from: Data(json.utf8)) else { return nil }
        return (info.database, info.databaseId)
    }

    /// For commands that only read: a --database that does not exist is refused (exit 1), never created.
    func requireExistingDatabase() throws {
        try Self.requireExisting(database)
    }

    /// Refuses `path` (when given, and not `:memory:`) unless a file exists there.
    static func requireExisting(_ path: String?) throws {
        guard let path, path != ":memory:", !FileManager.default.fileExists(atPath: path) else { return }
        throw CLIError(exitCode: 1, message: "workbook: no database at \(path) (nothing was created; check --database)")
    }

    /// Names this client on the connection, so revisions it saves say "workbook-cli" as they do with --database.
    private func identified(_ caller: SocketCaller) throws -> SocketCaller {
        _ = try caller.call("initialize", params: #"{"clientInfo":{"name":"workbook-cli"}}"#)
        return caller
    }

    /// A caller on the database file itself; `unlimited` lifts the message limit (the CLI holds the
    /// whole document in memory anyway) for `import` and `export`.
    private func local(_ path: String, unlimited: Bool = false) throws -> any RPCCaller {
        var logger = Logger(label: "workbook") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .error
        let limits = unlimited ? Limits(maxMessageBytes: Int(Int32.max)) : Limits()
        var configuration = ServerConfiguration(databasePath: path,
                                                packsDirectory: ServerConfiguration.defaultPacksDirectory(), limits: limits)
        configuration.singleConnection = true
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
