import ArgumentParser
import CMallocTuning
import Foundation
import JSONRPC
import Logging
import NIOCore
import NIOPosix
import WorkbookServer

/// `workbook serve`
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve JSON-RPC on stdio, a Unix socket and/or HTTP + WebSocket (default: the default socket).")

    @Flag(help: "Serve on stdin/stdout (stdout carries protocol bytes only).")
    var stdio = false

    @Option(name: .long, defaultAsFlag: "", parsing: .next,
            help: "Serve on a Unix socket; without a value, the default socket path.")
    var socket: String?

    @Option(name: .long, defaultAsFlag: "", parsing: .next,
            help: "Serve the web page and JSON-RPC over WebSocket (/rpc) on HOST:PORT (default 127.0.0.1, a free port).")
    var http: String?

    @Option(name: .long, help: "With --http: admit a third-party front end from this origin (repeatable).")
    var allowOrigin: [String] = []

    @Flag(help: "With --http: allow binding an address other than loopback.")
    var allowRemote = false

    @Option(help: "With --http: serve the page from this directory instead of the built-in copy.")
    var webRoot: String?

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
        if http == nil, !allowOrigin.isEmpty || allowRemote || webRoot != nil {
            throw ValidationError("--allow-origin, --allow-remote and --web-root go with --http")
        }
        if let webRoot, !FileManager.default.fileExists(atPath: webRoot + "/index.html") {
            throw ValidationError("--web-root \(webRoot) has no index.html")
        }
        if let http {
            do {
                let address = try HTTPAddress.parse(http)
                if !allowRemote, !HTTPAddress.isLoopback(address.host) {
                    throw ValidationError("--http \(http) is not a loopback address; add --allow-remote to serve it")
                }
            } catch let error as HTTPAddressError { throw ValidationError(error.description) }
        }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        // Keep freed heap for the next request instead of handing it back to the kernel after each
        // one: glibc's dynamic trim threshold made a save fault in its buffers' pages again every
        // time (page faults and madvise were ~40 % of a saveMany's samples; BENCHMARKS.md finding 18).
        // Blocks of 1 MiB and more still come from mmap and go back when freed (CMallocTuning.h).
        _ = workbook_tune_malloc()
        // Blocked before any thread starts, so every thread inherits the mask and SIGTERM/SIGINT stay
        // pending for the one thread that waits for them (a signal handler, or libdispatch's signal
        // source, can miss a signal the kernel hands to another thread: seen as a server started
        // from a shell script that ignored `kill`).
        let terminationSignals = Self.blockTerminationSignals()
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
        app.changes.start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let pool = NIOThreadPool(numberOfThreads: max(8, System.coreCount * 4))
        pool.start()
        let server = RPCServer(service: WorkbookService(app: app), group: group, threadPool: pool,
                               logger: logger, maxQueuedNotifications: maxSubscriberQueue)
        app.connectionCounter.withLockedValue { $0 = { server.connectionCount } }
        let done = DispatchSemaphore(value: 0)
        let stdioTransport = StdioTransport()
        // Before listening, so a signal that arrives right after start-up is handled too.
        Self.onTerminationSignal(blocked: terminationSignals) { sig in
            logger.info("signal \(sig): finishing in-flight requests")
            done.signal()
        }
        var webToken: String?
        do {
            if socket != nil || (!stdio && http == nil) {
                let path = (socket?.isEmpty ?? true) ? SocketPath.defaultPath() : socket!
                try server.listen(unixSocket: path)
            }
            if stdio {
                let channel = try stdioTransport.start(on: server)
                channel.closeFuture.whenComplete { _ in done.signal() }
            }
            if let http { webToken = try serveWeb(http, on: server, logger: logger) }
        } catch {
            fail(CLIError(exitCode: 1, message: "workbook: \(error)"))
        }
        done.wait()
        server.shutdown()
        if let webToken { HTTPAddress.removeToken(webToken, at: HTTPAddress.defaultTokenPath()) }
        stdioTransport.flush()
        logger.info("stopped")
        Foundation.exit(0)
    }

    /// Blocks SIGTERM and SIGINT in the calling thread (and so in every thread it starts later).
    private static func blockTerminationSignals() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        return set
    }

    /// Calls `handle` on a thread of its own for every blocked termination signal that arrives.
    private static func onTerminationSignal(blocked set: sigset_t, _ handle: @escaping @Sendable (Int32) -> Void) {
        let thread = Thread {
            var set = set
            var sig: Int32 = 0
            while sigwait(&set, &sig) == 0 { handle(sig) }
        }
        thread.name = "signals"
        thread.start()
    }

    /// Starts the web listener, writes the token file and prints the ready URL (the only place the
    /// token is shown). Returns the token.
    private func serveWeb(_ address: String, on server: RPCServer<WorkbookService>, logger: Logger) throws -> String {
        let (host, port) = try HTTPAddress.parse(address)
        let files = webRoot.map { HTTPFiles.directory($0) } ?? HTTPFiles.embedded(WebAssets.files)
        let endpoint = try server.listen(http: HTTPOptions(host: host, port: port, allowRemote: allowRemote,
                                                           allowedOrigins: allowOrigin, files: files))
        if !HTTPAddress.isLoopback(host) {
            logger.warning("--http binds \(host): reachable from other machines over plain HTTP; anyone with the token can read and change every answer")
        }
        try HTTPAddress.writeToken(endpoint.token, to: HTTPAddress.defaultTokenPath())
        FileHandle.standardError.write(Data("workbook: web page ready at \(endpoint.readyURL)\n".utf8))
        return endpoint.token
    }
}
