import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// Where and for whom the web listener serves.
public struct HTTPOptions: Sendable {
    /// Address to bind (loopback unless `allowRemote`).
    public var host: String
    /// Port; 0 picks a free one.
    public var port: Int
    /// Permits binding a non-loopback address.
    public var allowRemote: Bool
    /// Origins of third-party front ends admitted besides this server's own pages.
    public var allowedOrigins: [String]
    /// The page.
    public var files: HTTPFiles

    /// Options for `host:port` serving `files`.
    public init(host: String = "127.0.0.1", port: Int = 0, allowRemote: Bool = false,
                allowedOrigins: [String] = [], files: HTTPFiles) {
        self.host = host; self.port = port; self.allowRemote = allowRemote
        self.allowedOrigins = allowedOrigins; self.files = files
    }
}

/// A running web listener: where it is and the token of this start.
public struct HTTPEndpoint: Sendable {
    /// The bound address as given.
    public let host: String
    /// The bound port.
    public let port: Int
    /// The access token.
    public let token: String

    /// The address to open in a browser, token included.
    public var readyURL: String {
        let wildcard = host == "0.0.0.0" || host == "::"
        let name = wildcard ? "127.0.0.1" : (host.contains(":") ? "[\(host)]" : host)
        return "http://\(name):\(port)/?token=\(token)"
    }
}

extension RPCServer {
    /// Serves the page over HTTP and JSON-RPC over WebSocket on `/rpc` (same dispatcher, limits and
    /// connection count as the other transports).
    public func listen(http options: HTTPOptions) throws -> HTTPEndpoint {
        guard options.allowRemote || HTTPAddress.isLoopback(options.host) else {
            throw HTTPAddressError(description: "\(options.host) is not a loopback address; pass --allow-remote to serve it")
        }
        let token = HTTPAddress.newToken()
        // Set once the port is known; no one can connect before then (the port is not yet printed).
        let accessBox = NIOLockedValueBox<HTTPAccess?>(nil)
        let files = options.files
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: RPCWriteBuffer.waterMark)
            .childChannelInitializer { [self] channel in
                guard let access = accessBox.withLockedValue({ $0 }) else { return channel.close() }
                return channel.eventLoop.makeCompletedFuture {
                    try self.configureWeb(channel, access: access, files: files)
                }
            }
        let channel = try bootstrap.bind(host: options.host, port: options.port).wait()
        let port = channel.localAddress?.port ?? options.port
        let named = HTTPAddress.isLoopback(options.host) || options.host == "0.0.0.0" || options.host == "::"
        accessBox.withLockedValue {
            $0 = HTTPAccess(token: token, port: port, boundHost: named ? nil : options.host,
                            extraOrigins: options.allowedOrigins)
        }
        addListener(channel, path: nil)
        logger.info("serving the web page and WebSocket /rpc on \(options.host) port \(port)")
        return HTTPEndpoint(host: options.host, port: port, token: token)
    }

    /// HTTP/1.1 with a WebSocket upgrader on `/rpc`, then the request handler; an upgraded channel
    /// loses the HTTP handlers and gains the aggregator, the bridge and the RPC handler.
    private func configureWeb(_ channel: any Channel, access: HTTPAccess, files: HTTPFiles) throws {
        let limits = service.dispatcher.limits
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: limits.maxMessageBytes,
            shouldUpgrade: { channel, head in
                let admitted = HTTPAccess.path(of: head.uri) == "/rpc" && access.check(head).isAllowed
                // A refused upgrade goes on to HTTPRequestHandler, which answers with the reason.
                return channel.eventLoop.makeSucceededFuture(admitted ? HTTPHeaders() : nil)
            },
            upgradePipelineHandler: { [self] channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 1, maxAccumulatedFrameCount: 1024,
                                                    maxAccumulatedFrameSize: limits.maxMessageBytes),
                        WebSocketBridge(),
                    ])
                }.flatMap { self.adopt(channel, transport: "websocket", framed: false) }
            })
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(IdleStateHandler(readTimeout: .seconds(Int64(limits.idleTimeoutSeconds))), name: "web.idle")
        try sync.configureHTTPServerPipeline(withServerUpgrade: (upgraders: [upgrader], completionHandler: { context in
            // A WebSocket may stay quiet for hours (a subscriber): the HTTP idle limit no longer applies.
            context.pipeline.syncOperations.removeHandler(name: "web.idle", promise: nil)
            context.pipeline.syncOperations.removeHandler(name: "web.http", promise: nil)
        }))
        try sync.addHandler(HTTPRequestHandler(access: access, files: files, logger: logger), name: "web.http")
    }
}
