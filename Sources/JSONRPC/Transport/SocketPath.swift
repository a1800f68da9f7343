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
        return defaultDirectory(environment: environment) + "/workbook.sock"
    }

    /// The directory that exists only for the socket: `$XDG_RUNTIME_DIR/workbook`, else
    /// `$TMPDIR/workbook-UID` (`TMPDIR` defaulting to /tmp).
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { return runtime + "/workbook" }
        var tmp = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        while tmp.count > 1, tmp.hasSuffix("/") { tmp.removeLast() }
        return tmp + "/workbook-\(getuid())"
    }

    /// Makes the parent directory (0700, ours), and clears a stale socket; throws when the path is a
    /// live server's, or not a socket, or the directory belongs to someone else. The default
    /// directory, when found open to group or others, is set back to 0700 (a directory someone
    /// chose, such as their home, is left as it is: the socket itself is 0600 and peers are
    /// checked). Returns a note for the log when it changed or found something.
    @discardableResult
    public static func prepare(_ path: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
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
        var note: String?
        let loose = st.st_mode & 0o077
        if loose != 0 {
            if (dir as NSString).standardizingPath == (defaultDirectory(environment: environment) as NSString).standardizingPath {
                guard chmod(dir, 0o700) == 0 else {
                    throw SocketPathError(description: "\(dir) is open to other users (mode \(octal(st.st_mode)))"
                                          + " and cannot be made private: \(String(cString: strerror(errno)))")
                }
                note = "\(dir) was mode \(octal(st.st_mode)); set it to 0700"
            } else {
                note = "\(dir) is mode \(octal(st.st_mode)); the socket stays 0600 and only uid \(getuid()) is admitted"
            }
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
        return note
    }

    private static func octal(_ mode: mode_t) -> String { "0" + String(mode & 0o7777, radix: 8) }

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
