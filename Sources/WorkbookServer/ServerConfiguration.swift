import Foundation
import JSONRPC

/// Everything `workbook serve` and the one-shot commands are configured with.
public struct ServerConfiguration: Sendable {
    /// The SQLite database file.
    public var databasePath: String
    /// Extra packs to load (nil: none).
    public var packsDirectory: String?
    /// Wire limits.
    public var limits: Limits
    /// Largest answer text, in UTF-8 bytes.
    public var maxAnswerBytes: Int
    /// Most notifications queued for one subscriber before it is dropped.
    public var maxSubscriberQueue: Int
    /// One database connection instead of a pool (one-shot CLI calls; see `StoreOptions.singleConnection`).
    public var singleConnection = false

    /// A configuration with the protocol's default limits.
    public init(databasePath: String, packsDirectory: String? = nil, limits: Limits = Limits(),
                maxAnswerBytes: Int = 1 << 20, maxSubscriberQueue: Int = 10_000) {
        self.databasePath = databasePath; self.packsDirectory = packsDirectory; self.limits = limits
        self.maxAnswerBytes = maxAnswerBytes; self.maxSubscriberQueue = maxSubscriberQueue
    }

    /// `$WORKBOOK_DATABASE`, else `$XDG_DATA_HOME/workbook/workbook.sqlite`, else
    /// `~/.local/share/workbook/workbook.sqlite`.
    public static func defaultDatabasePath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["WORKBOOK_DATABASE"], !explicit.isEmpty { return explicit }
        return dataDirectory(environment: environment) + "/workbook.sqlite"
    }

    /// `$XDG_DATA_HOME/workbook/packs`.
    public static func defaultPacksDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        dataDirectory(environment: environment) + "/packs"
    }

    private static func dataDirectory(environment: [String: String]) -> String {
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return data + "/workbook" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share/workbook"
    }
}

/// The server's name and version, reported by `server.info` and `--version`.
public enum ServerIdentity {
    /// The product name.
    public static let name = "workbook"
    /// The release version.
    public static let version = "0.1.0"
    /// Bumped when the protocol changes incompatibly.
    public static let apiLevel = 1
}
