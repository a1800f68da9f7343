import Foundation
import JSONRPC
import Logging
import NIOConcurrencyHelpers
import Workbook

/// The running application: configuration, the store, and the method catalogue's dispatcher.
public final class WorkbookApp: Sendable {
    /// How it was configured.
    public let configuration: ServerConfiguration
    /// The storage façade.
    public let store: WorkbookStore
    /// Where logs go.
    public let logger: Logger
    /// Fans the change log out to subscribers.
    public let changes: ChangeHub
    /// Counts open connections; set by the server that serves this app.
    public let connectionCounter = NIOLockedValueBox<(@Sendable () -> Int)?>(nil)

    /// Opens the store named by `configuration` (and its packs); problems with packs are logged and skipped.
    public init(configuration: ServerConfiguration, logger: Logger) throws(WorkbookError) {
        self.configuration = configuration
        self.logger = logger
        let (catalog, problems) = WorkbookCatalog.load(packsDirectory: configuration.packsDirectory)
        for problem in problems {
            logger.error("pack skipped: \(problem.file): \(problem.reason)")
        }
        var options = StoreOptions(maxAnswerBytes: configuration.maxAnswerBytes,
                                   warn: { [logger] message in logger.warning("\(message)") })
        options.singleConnection = configuration.singleConnection
        if configuration.databasePath == ":memory:" {
            store = try WorkbookStore.inMemory(catalog: catalog, options: options)
        } else {
            store = try WorkbookStore.open(path: configuration.databasePath, catalog: catalog, options: options)
        }
        changes = ChangeHub(store: store, logger: logger)
    }

    /// `server.info` for a connection using `framing`.
    func info(framing: Framing?) -> ServerInfoResult {
        let l = configuration.limits
        return ServerInfoResult(
            name: ServerIdentity.name, version: ServerIdentity.version, apiLevel: ServerIdentity.apiLevel,
            databaseId: store.databaseId, database: configuration.databasePath, framing: framing?.rawValue,
            connections: connectionCounter.withLockedValue { $0 }?(),
            limits: LimitsInfo(maxMessageBytes: l.maxMessageBytes, maxBatchItems: l.maxBatchItems,
                               maxAnswerBytes: configuration.maxAnswerBytes, maxDepth: l.maxDepth,
                               maxConnections: l.maxConnections, idleTimeoutSeconds: l.idleTimeoutSeconds,
                               maxSubscriberQueue: configuration.maxSubscriberQueue),
            capabilities: MethodCatalogue.capabilities)
    }
}

/// Per-connection state: the client's name and the connection handle (nil for one-shot calls).
public final class ConnectionContext: Sendable {
    /// The application.
    public let app: WorkbookApp
    /// The connection, or nil when called in-process (`workbook call --database`).
    public let connection: RPCConnection?
    private let name = NIOLockedValueBox<String?>(nil)

    /// A context on `connection`.
    public init(app: WorkbookApp, connection: RPCConnection?) {
        self.app = app
        self.connection = connection
    }

    /// The name from `initialize`, or "unknown".
    public var clientName: String {
        get { name.withLockedValue { $0 } ?? "unknown" }
        set { name.withLockedValue { $0 = newValue } }
    }

    /// The store.
    public var store: WorkbookStore { app.store }
}

/// The `RPCService` all transports serve.
public struct WorkbookService: RPCService {
    /// The shared dispatcher.
    public let dispatcher: Dispatcher<ConnectionContext>
    /// The application.
    public let app: WorkbookApp

    /// A service over `app` with the full method catalogue.
    public init(app: WorkbookApp) {
        self.app = app
        self.dispatcher = Dispatcher(methods: MethodCatalogue.all, limits: app.configuration.limits,
                                     logger: app.logger, mapError: { WorkbookErrorMapping.rpcError(for: $0) })
    }

    /// A context for a new connection.
    public func open(_ connection: RPCConnection) -> ConnectionContext {
        ConnectionContext(app: app, connection: connection)
    }

    /// Drops the connection's subscriptions.
    public func close(_ context: ConnectionContext) {
        if let connection = context.connection { app.changes.remove(connection) }
    }

    /// Runs one message in-process (no transport) and returns the reply text, if any.
    public func handle(message: [UInt8], context: ConnectionContext) -> [UInt8]? {
        dispatcher.prepare(message).run(context)
    }
}
