import Logging
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Answers the plain HTTP requests of the web listener: checks access, trades a URL token for a
/// cookie, serves the static files, and refuses everything else. WebSocket upgrades on `/rpc` are
/// taken by the upgrader before they reach this handler; a refused one arrives here and is answered.
final class HTTPRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let access: HTTPAccess
    private let files: HTTPFiles
    private let logger: Logger
    private var head: HTTPRequestHead?

    init(access: HTTPAccess, files: HTTPFiles, logger: Logger) {
        self.access = access; self.files = files; self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent { context.close(promise: nil) } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A refused or malformed upgrade is reported first, then its request arrives here to be answered.
        if error is NIOWebSocketUpgradeError { return }
        logger.debug("http connection error: \(error)")
        context.close(promise: nil)
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = HTTPAccess.path(of: head.uri)
        switch access.check(head) {
        case let .refused(status, reason):
            logger.info("refused \(head.method) \(path): \(reason)")
            send(status, text: "\(status.code) \(status.reasonPhrase): \(reason)\n", head: head, context: context)
        case _ where head.method != .GET && head.method != .HEAD:
            send(.methodNotAllowed, text: "only GET and HEAD\n", head: head, context: context,
                 extra: [("Allow", "GET, HEAD")])
        case .allowed(viaQuery: true) where path != "/rpc":
            // Keep the token out of the address bar, history and bookmarks: set the cookie, go to the page.
            send(.seeOther, text: "", head: head, context: context,
                 extra: [("Set-Cookie", access.cookie), ("Location", path)])
        case .allowed:
            if path == "/rpc" {
                send(.upgradeRequired, text: "a WebSocket endpoint\n", head: head, context: context,
                     extra: [("Upgrade", "websocket")])
            } else if let file = files.file(forPath: path) {
                send(.ok, body: file.body, contentType: file.contentType, head: head, context: context)
            } else {
                send(.notFound, text: "not found\n", head: head, context: context)
            }
        }
    }

    private func send(_ status: HTTPResponseStatus, text: String, head: HTTPRequestHead,
                      context: ChannelHandlerContext, extra: [(String, String)] = []) {
        send(status, body: Array(text.utf8), contentType: "text/plain; charset=utf-8", head: head,
             context: context, extra: extra)
    }

    private func send(_ status: HTTPResponseStatus, body: [UInt8], contentType: String, head: HTTPRequestHead,
                      context: ChannelHandlerContext, extra: [(String, String)] = []) {
        // The Host header is only trusted (and only reflected into the policy) once access was granted.
        let host = status.code < 400 ? head.headers["host"].first : nil
        var headers = HTTPHeaders(Self.securityHeaders(host: host))
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(contentsOf: extra)
        let keepAlive = head.isKeepAlive && status.code < 400
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let response = HTTPResponseHead(version: head.version, status: status, headers: headers)
        context.write(wrapOutboundOut(.head(response)), promise: nil)
        if head.method != .HEAD, !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
    }

    /// Nothing outside this server: no other origin's scripts, frames or connections, no referrer.
    static func securityHeaders(host: String?) -> [(String, String)] {
        [("Content-Security-Policy",
          "default-src 'self'; connect-src 'self'\(host.map { " ws://\($0)" } ?? ""); img-src 'self' data:; style-src 'self'; "
            + "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
         ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
         ("X-Frame-Options", "DENY"), ("Cache-Control", "no-store")]
    }
}
