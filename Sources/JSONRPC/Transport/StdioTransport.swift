#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NIOCore
import NIOPosix

/// Serves JSON-RPC on stdin/stdout. stdout is kept for protocol bytes only: the real stdout is
/// duplicated for the channel and fd 1 is pointed at stderr so nothing else can write into it.
/// epoll cannot watch regular files or /dev/null, so those are bridged through a pipe by a thread.
public final class StdioTransport: Sendable {
    private let copiers = DispatchGroup()

    /// Creates the transport.
    public init() {}

    /// Takes over fds 0 and 1 and returns the pipe channel serving them.
    public func start<S: RPCService>(on server: RPCServer<S>) throws -> any Channel {
        let input = try pollable(dup(0), reading: true)
        let output = try pollable(dup(1), reading: false)
        dup2(2, 1)
        return try NIOPipeBootstrap(group: server.group)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.writeBufferWaterMark, value: RPCWriteBuffer.waterMark)
            .channelInitializer { server.serve(pipe: $0) }
            .takingOwnershipOfDescriptors(input: input, output: output).wait()
    }

    /// Waits until bridged output has reached the real stdout.
    public func flush() { copiers.wait() }

    /// Returns `fd` when epoll can watch it (pipe, socket, terminal); otherwise a pipe end fed or
    /// drained by a copying thread.
    private func pollable(_ fd: Int32, reading: Bool) throws -> Int32 {
        var st = stat()
        guard fd >= 0, fstat(fd, &st) == 0 else { throw IOError(errnoCode: errno, reason: "stdio") }
        let type = st.st_mode & S_IFMT
        if type == S_IFIFO || type == S_IFSOCK || isatty(fd) == 1 { return fd }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw IOError(errnoCode: errno, reason: "pipe") }
        let (from, to) = reading ? (fd, ends[1]) : (ends[0], fd)
        copiers.enter()
        let group = copiers
        Thread.detachNewThread {
            Self.copy(from: from, to: to)
            close(from)
            close(to)
            group.leave()
        }
        return reading ? ends[0] : ends[1]
    }

    private static func copy(from: Int32, to: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return }
            var offset = 0
            while offset < n {
                let w = buffer.withUnsafeBytes { write(to, $0.baseAddress! + offset, n - offset) }
                if w < 0, errno == EINTR { continue }
                guard w > 0 else { return }
                offset += w
            }
        }
    }
}
