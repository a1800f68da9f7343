#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NIOCore
import NIOPosix

/// The transport's floor: servers that send back every byte they receive, on the same socket kind.
/// `raw` is one poll() loop of plain syscalls (what the kernel costs); `nio` is SwiftNIO's event
/// loops with an echo handler (what the server's I/O stack costs before any JSON-RPC work).
enum EchoServer {
    static func run(kind: String, path: String) throws -> Never {
        unlink(path)
        switch kind {
        case "raw": try runRaw(path)
        case "nio": try runNIO(path)
        default: die("unknown echo kind \(kind) (raw or nio)")
        }
    }

    private static func runRaw(_ path: String) throws -> Never {
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in raw.copyBytes(from: bytes); raw[bytes.count] = 0 }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0, listen(listener, 256) == 0 else { throw BenchError("bind \(path): \(String(cString: strerror(errno)))") }
        var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            guard poll(&fds, nfds_t(fds.count), -1) > 0 else { continue }
            var closed: [Int] = []
            for i in fds.indices where fds[i].revents != 0 {
                if i == 0 {
                    let fd = accept(listener, nil, nil)
                    if fd >= 0 { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
                    continue
                }
                let n = buffer.withUnsafeMutableBytes { read(fds[i].fd, $0.baseAddress, $0.count) }
                if n <= 0 { closed.append(i); continue }
                var off = 0
                while off < n {
                    let w = buffer.withUnsafeBytes { write(fds[i].fd, $0.baseAddress! + off, n - off) }
                    if w <= 0 { if errno == EINTR || errno == EAGAIN { continue }; closed.append(i); break }
                    off += w
                }
            }
            for i in closed.reversed() { close(fds[i].fd); fds.remove(at: i) }
        }
    }

    private final class Echo: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { context.write(data, promise: nil) }
        func channelReadComplete(context: ChannelHandlerContext) { context.flush() }
    }

    private static func runNIO(_ path: String) throws -> Never {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelInitializer { ch in ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(Echo()) } }
            .bind(unixDomainSocketPath: path).wait()
        try channel.closeFuture.wait()
        exit(0)
    }
}
