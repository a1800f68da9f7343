import ArgumentParser
import Foundation
import JSONRPC
import Logging
import NIOCore
import NIOPosix
import WorkbookServer

/// `workbook serve`
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve JSON-RPC on stdio and/or a Unix socket (default: the default socket).")

    @Flag(help: "Serve on stdin/stdout (stdout carries protocol bytes only).")
    var stdio = false

    @Option(name: .long, defaultAsFlag: "", parsing: .next,
            help: "Serve on a Unix socket; without a value, the default socket path.")
    var socket: String?

    @Option(help: "The SQLite database file.")
    var database: String?

    @Option(help: "A directory of extra workbook packs (*.json).")
    var packs: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(help: "Largest message in bytes.") var maxMessageBytes: Int = 4 << 20
    @Option(help: "Most members in a batch.") var maxBatchItems: Int = 100
    @Option(help: "Largest answer in UTF-8 bytes.") var maxAnswerBytes: Int = 1 << 20
    @Option(help: "Deepest JSON nesting.") var maxDepth: Int = 64
    @Option(help: "Most simultaneous connections.") var maxConnections: Int = 256
    @Option(help: "Seconds a partial message may sit idle.") var idleTimeout: Int = 60
    @Option(help: "Most notifications queued per subscriber.") var maxSubscriberQueue: Int = 10_000

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        for (name, value) in [("--max-message-bytes", maxMessageBytes), ("--max-batch-items", maxBatchItems),
                              ("--max-answer-bytes", maxAnswerBytes), ("--max-depth", maxDepth),
                              ("--max-connections", maxConnections), ("--idle-timeout", idleTimeout),
                              ("--max-subscriber-queue", maxSubscriberQueue)] where value < 1 {
            throw ValidationError("\(name) must be at least 1")
        }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let level = Logger.Level(rawValue: logLevel)!
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "workbook")
        let limits = Limits(maxMessageBytes: maxMessageBytes, maxBatchItems: maxBatchItems, maxDepth: maxDepth,
                            maxConnections: maxConnections, idleTimeoutSeconds: idleTimeout)
        let configuration = ServerConfiguration(
            databasePath: database ?? ServerConfiguration.defaultDatabasePath(),
            packsDirectory: packs ?? ServerConfiguration.defaultPacksDirectory(),
            limits: limits, maxAnswerBytes: maxAnswerBytes, maxSubscriberQueue: maxSubscriberQueue)
        let app: WorkbookApp
        do { app = try WorkbookApp(configuration: configuration, logger: logger) } catch {
            fail(CLIError(exitCode: 1, message: "workbook: cannot open the database \(configuration.databasePath): \(error)"))
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let pool = NIOThreadPool(numberOfThreads: max(4, System.coreCount * 2))
        pool.start()
        let server = RPCServer(service: WorkbookService(app: app), group: group, threadPool: pool,
                               logger: logger, maxQueuedNotifications: maxSubscriberQueue)
        let done = DispatchSemaphore(value: 0)
        let stdioTransport = StdioTransport()
        do {
            if socket != nil || !stdio {
                let path = (socket?.isEmpty ?? true) ? SocketPath.defaultPath() : socket!
                try server.listen(unixSocket: path)
            }
            if stdio {
                let channel = try stdioTransport.start(on: server)
                channel.closeFuture.whenComplete { _ in done.signal() }
            }
        } catch {
            fail(CLIError(exitCode: 1, message: "workbook: \(error)"))
        }
        let signals = [SIGTERM, SIGINT].map { sig -> any DispatchSourceSignal in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                logger.info("signal \(sig): finishing in-flight requests")
                done.signal()
            }
            source.resume()
            return source
        }
        done.wait()
        server.shutdown()
        stdioTransport.flush()
        _ = signals
        logger.info("stopped")
        Foundation.exit(0)
    }
}
