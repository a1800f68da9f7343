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

    /// Reads the peer's credentials; nil when they cannot be read (the caller refuses the peer).
    static func of(_ channel: any Channel) -> EventLoopFuture<PeerCredentials?> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeSucceededFuture(nil)
        }
        #if os(Linux)
        let future: EventLoopFuture<PeerCredentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        return future.map { Optional($0) }.recover { _ in nil }
        #elseif canImport(Darwin)
        // LOCAL_PEERCRED gives the uid and groups but no pid.
        let future: EventLoopFuture<xucred> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_LOCAL), name: SocketOptionName(LOCAL_PEERCRED))
        return future.map { Optional(PeerCredentials(pid: 0, uid: $0.cr_uid, gid: $0.cr_groups.0)) }.recover { _ in nil }
        #else
        return channel.eventLoop.makeSucceededFuture(nil)
        #endif
    }

    /// True only for a peer known to run as `uid`.
    static func admits(_ peer: PeerCredentials?, uid: UInt32) -> Bool {
        peer?.uid == uid
    }
}
