#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Why the web listener cannot serve as asked.
public struct HTTPAddressError: Error, CustomStringConvertible, Sendable {
    /// A message for the person running the server.
    public let description: String
}

/// The web listener's address syntax, its loopback rule, its token and the token file.
public enum HTTPAddress {
    /// Parses `HOST:PORT`, `[V6]:PORT`, `HOST`, `:PORT` or `PORT`; "" means 127.0.0.1 and a free port.
    public static func parse(_ text: String) throws -> (host: String, port: Int) {
        var host = "127.0.0.1", portText = ""
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw bad(text) }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { throw bad(text) }
            portText = String(rest.dropFirst())
        } else if let colon = text.lastIndex(of: ":") {
            guard text.firstIndex(of: ":") == colon else { throw bad(text) }  // bare IPv6 needs brackets
            if colon != text.startIndex { host = String(text[..<colon]) }
            portText = String(text[text.index(after: colon)...])
        } else if !text.isEmpty {
            if text.allSatisfy(\.isNumber) { portText = text } else { host = text }
        }
        guard let port = portText.isEmpty ? 0 : Int(portText), (0...65535).contains(port), !host.isEmpty else {
            throw bad(text)
        }
        return (host, port)
    }

    /// True for `localhost`, 127.0.0.0/8 and ::1.
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        if h == "localhost" || h == "::1" { return true }
        let octets = h.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// 32 random bytes from the system's secure generator, as hex.
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", generator.next() as UInt8) }.joined()
    }

    /// `web-token` beside the default socket (`$XDG_RUNTIME_DIR/workbook/web-token`).
    public static func defaultTokenPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        (SocketPath.defaultPath(environment: environment) as NSString).deletingLastPathComponent + "/web-token"
    }

    /// Writes `token` to `path` readable by the owner only; the directory is made private when new.
    public static func writeToken(_ token: String, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        var st = stat()
        guard lstat(dir, &st) == 0, st.st_mode & S_IFMT == S_IFDIR, st.st_uid == getuid() else {
            throw HTTPAddressError(description: "\(dir) is not a directory of ours; refusing to write the token there")
        }
        unlink(path)  // never write through a symlink or into someone else's file
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw HTTPAddressError(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array((token + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else {
            throw HTTPAddressError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the token file at shutdown, unless another server has replaced it since.
    public static func removeToken(_ token: String, at path: String) {
        if let text = try? String(contentsOfFile: path, encoding: .utf8), text == token + "\n" { unlink(path) }
    }

    private static func bad(_ text: String) -> HTTPAddressError {
        HTTPAddressError(description: "--http expects HOST:PORT, [IPv6]:PORT, HOST or PORT, not \(text.debugDescription)")
    }
}
