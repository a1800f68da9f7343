#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import JSONRPC

/// A blocking NDJSON client on a Unix socket, for the CLI, tests and the benchmark.
public final class SocketCaller: RPCCaller {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var nextID = 1

    /// Connects to `path`; throws `TransportFailure` when nothing listens there.
    public init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TransportFailure(description: "socket(): \(String(cString: strerror(errno)))") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            close(fd)
            throw TransportFailure(description: "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw TransportFailure(description: "cannot connect to \(path): \(reason)")
        }
    }

    deinit { close(fd) }

    /// Sends raw bytes (a framed message).
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw TransportFailure(description: "write failed: \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    /// Reads one NDJSON line (without its `\n`); nil at EOF.
    public func readLine() throws -> [UInt8]? {
        while true {
            if let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[..<nl])
                buffer.removeSubrange(...nl)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { throw TransportFailure(description: "read failed: \(String(cString: strerror(errno)))") }
            if n == 0 { return nil }
            buffer += chunk[..<n]
        }
    }

    /// Sends one request and waits for its reply (notifications that arrive first are skipped).
    public func call(_ method: String, params: String?) throws -> Result<String, RPCErrorReply> {
        let id = nextID
        nextID += 1
        try send(Self.request(id, method, params) + [UInt8(ascii: "\n")])
        while let line = try readLine() {
            if line.isEmpty { continue }
            let text = String(decoding: line, as: UTF8.self)
            if text.contains(#""method":"#), !text.contains(#""id":"#) { continue }
            return try Self.decodeReply(line)
        }
        throw TransportFailure(description: "the server closed the connection")
    }
}
