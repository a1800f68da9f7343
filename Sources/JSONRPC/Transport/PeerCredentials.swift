#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// The peer process of a Unix socket connection, from `SO_PEERCRED` (declared here because Swift's
/// Glibc module does not expose `struct ucred`).
public struct PeerCredentials: Sendable, Equatable {
    /// Process id.
    public var pid: Int32
    /// User id.
    public var uid: UInt32
    /// Group id.
    public var gid: UInt32

    /// Reads the peer's credentials; nil where the platform or channel cannot say.
    static func of(_ channel: any Channel) -> EventLoopFuture<PeerCredentials?> {
        #if os(Linux)
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeSucceededFuture(nil)
        }
        let future: EventLoopFuture<PeerCredentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        return future.map { Optional($0) }.recover { _ in nil }
        #else
        return channel.eventLoop.makeSucceededFuture(nil)
        #endif
    }
}
