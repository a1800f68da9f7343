import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking Unix-socket client that speaks either framing, for end-to-end tests.
public final class RawSocket {
    /// The descriptor.
    public let fd: Int32
    private var pending: [UInt8] = []

    /// Connects to `path`.
    public init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in raw.copyBytes(from: bytes); raw[bytes.count] = 0 }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if rc != 0 {
            let e = errno
            close(fd)
            throw SocketServerFailure(description: "connect \(path): \(String(cString: strerror(e)))")
        }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)  // a safety net against a hung test, not a wait
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Writes all bytes (stops quietly when the server has closed: no SIGPIPE).
    public func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Bytes we sent that the server has not read yet (Linux `SIOCOUTQ`).
    public var unreadByServer: Int {
        var n: Int32 = 0
        _ = ioctl(fd, UInt(0x5411), &n)  // SIOCOUTQ (= TIOCOUTQ)
        return Int(n)
    }

    /// Half-closes the sending side.
    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { return false }
        pending += chunk[..<n]
        return true
    }

    /// Reads one message body in `headers` or NDJSON framing; nil at EOF.
    public func readMessage(headers: Bool) -> [UInt8]? {
        while true {
            if headers {
                if let frames = Frames.splitHeadersPrefix(pending) {
                    pending.removeFirst(frames.consumed)
                    return frames.body
                }
            } else if let nl = pending.firstIndex(of: 10) {
                let line = Array(pending[..<nl])
                pending.removeFirst(nl + 1)
                return line
            }
            if !fill() { return nil }
        }
    }

    /// Reads everything until EOF.
    public func readToEnd() -> [UInt8] {
        while fill() {}
        defer { pending = [] }
        return pending
    }
}

extension Frames {
    /// The first complete Content-Length frame of `bytes`, if any.
    public static func splitHeadersPrefix(_ bytes: [UInt8]) -> (body: [UInt8], consumed: Int)? {
        guard let end = (0..<max(0, bytes.count - 3)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10 }) else { return nil }
        let header = String(decoding: bytes[..<end], as: UTF8.self)
        guard let n = Int(header.replacingOccurrences(of: "Content-Length: ", with: "")) else { return nil }
        guard bytes.count >= end + 4 + n else { return nil }
        return (Array(bytes[(end + 4)..<(end + 4 + n)]), end + 4 + n)
    }
}
