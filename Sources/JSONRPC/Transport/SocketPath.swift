#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Why a socket path cannot be served.
public struct SocketPathError: Error, CustomStringConvertible, Sendable {
    /// A message for the person running the server.
    public let description: String
}

/// Safety checks around the Unix socket's path: private directory, stale sockets, live servers.
public enum SocketPath {
    /// `$WORKBOOK_SOCKET`, else `$XDG_RUNTIME_DIR/workbook/workbook.sock`, else a per-user 0700
    /// directory under /tmp.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["WORKBOOK_SOCKET"], !explicit.isEmpty { return explicit }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { return runtime + "/workbook/workbook.sock" }
        return "/tmp/workbook-\(getuid())/workbook.sock"
    }

    /// Makes the parent directory (0700, ours), and clears a stale socket; throws when the path is a
    /// live server's, or not a socket, or the directory belongs to someone else.
    public static func prepare(_ path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if mkdir(dir, 0o700) != 0, errno != EEXIST {
            // Intermediate directories (e.g. a custom path): create them, the last one private.
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        var st = stat()
        guard lstat(dir, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else {
            throw SocketPathError(description: "\(dir) is not a directory")
        }
        guard st.st_uid == getuid() else {
            throw SocketPathError(description: "\(dir) belongs to another user (uid \(st.st_uid)); refusing to serve there")
        }
        if lstat(path, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFSOCK else {
                throw SocketPathError(description: "\(path) exists and is not a socket; refusing to replace it")
            }
            if isLive(path) {
                throw SocketPathError(description: "another workbook server is already listening on \(path)")
            }
            unlink(path)
        }
    }

    /// True when something accepts connections on the socket at `path`.
    public static func isLive(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { return false }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }
}
