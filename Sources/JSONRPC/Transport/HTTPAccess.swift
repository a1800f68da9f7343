import NIOHTTP1

/// Who may use the HTTP listener: a per-start token (query or cookie), the `Host` names that point
/// at this server (no DNS rebinding), and the origins whose pages may drive it.
public struct HTTPAccess: Sendable {
    /// The secret of this start.
    let token: String
    /// Lower-cased `host:port` values accepted in `Host`.
    let hosts: Set<String>
    /// Lower-cased origins accepted in `Origin` (same-origin ones included).
    let origins: Set<String>
    /// The cookie carrying the token; per port, since cookies ignore ports.
    public let cookieName: String

    /// Access for a listener on `port` reachable as `boundHost` (nil: loopback names only),
    /// admitting pages from `extraOrigins` as well.
    public init(token: String, port: Int, boundHost: String?, extraOrigins: [String]) {
        self.token = token
        cookieName = "workbook_\(port)"
        var names = ["127.0.0.1", "localhost", "[::1]"]
        if let boundHost { names.append(boundHost.contains(":") ? "[\(boundHost)]" : boundHost) }
        var hosts = Set(names.map { "\($0):\(port)".lowercased() })
        var origins = Set(hosts.map { "http://\($0)" })
        for origin in extraOrigins {
            let normalized = origin.lowercased().trimmingSuffix("/")
            origins.insert(normalized)
            // A page on another name of this machine sends that name in `Host` too.
            if let host = normalized.split(separator: "/").last, normalized.hasPrefix("http") { hosts.insert(String(host)) }
        }
        self.hosts = hosts
        self.origins = origins
    }

    /// What to do with a request.
    public enum Decision: Sendable, Equatable {
        /// Allowed; `viaQuery` when the token came in the URL (the page then trades it for a cookie).
        case allowed(viaQuery: Bool)
        /// Refused with this status and a short reason (never containing the token).
        case refused(HTTPResponseStatus, String)

        /// True for `.allowed`.
        public var isAllowed: Bool {
            if case .allowed = self { return true }
            return false
        }
    }

    /// Checks `Host`, then `Origin`, then the token (query `token=` or the cookie).
    public func check(_ head: HTTPRequestHead) -> Decision {
        let host = head.headers["host"]
        guard host.count == 1, hosts.contains(host[0].lowercased()) else {
            return .refused(.forbidden, "this server does not answer to that Host name")
        }
        let origin = head.headers["origin"]
        guard origin.count <= 1, origin.allSatisfy({ origins.contains($0.lowercased()) }) else {
            return .refused(.forbidden, "pages from that origin may not use this server (see --allow-origin)")
        }
        if let given = Self.queryValue("token", in: head.uri), Self.constantTimeEqual(given, token) {
            return .allowed(viaQuery: true)
        }
        if let given = Self.cookieValue(cookieName, in: head.headers), Self.constantTimeEqual(given, token) {
            return .allowed(viaQuery: false)
        }
        return .refused(.unauthorized, "open the address printed by `workbook serve --http` (it carries the access token)")
    }

    /// The `Set-Cookie` value that stores the token for this listener's pages.
    public var cookie: String { "\(cookieName)=\(token); HttpOnly; SameSite=Strict; Path=/" }

    /// Compares in time that depends only on the lengths, so the token cannot be guessed byte by byte.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// The first value of `name` in the query of `uri` (no percent-decoding: tokens are hex).
    static func queryValue(_ name: String, in uri: String) -> String? {
        guard let query = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, parts[0] == name { return String(parts[1]) }
        }
        return nil
    }

    /// The value of cookie `name` across all `Cookie` headers.
    static func cookieValue(_ name: String, in headers: HTTPHeaders) -> String? {
        for header in headers["cookie"] {
            for item in header.split(separator: ";") {
                let parts = item.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: " ") == name {
                    return parts[1].trimmingCharacters(in: " ")
                }
            }
        }
        return nil
    }

    /// The path of `uri` without its query.
    static func path(of uri: String) -> String {
        String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "/")
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }

    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : String(self)
    }
}
