#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The static files the HTTP listener serves: a name such as `index.html` → its bytes.
public struct HTTPFiles: Sendable {
    private let lookup: @Sendable (String) -> [UInt8]?

    /// Files held in memory (e.g. compiled into the binary).
    public static func embedded(_ files: [String: [UInt8]]) -> HTTPFiles {
        HTTPFiles { files[$0] }
    }

    /// Files read from `root` at each request (for working on the page without rebuilding). Only
    /// plain names of regular files directly in `root` or its subdirectories, no dot-files.
    public static func directory(_ root: String) -> HTTPFiles {
        HTTPFiles { name in
            let parts = name.split(separator: "/")
            guard !parts.isEmpty, parts.allSatisfy({ !$0.hasPrefix(".") }) else { return nil }
            let path = root + "/" + parts.joined(separator: "/")
            var st = stat()
            guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
            return FileManager.default.contents(atPath: path).map { [UInt8]($0) }
        }
    }

    /// The bytes of the file for the request path `path` ("/" is `index.html`).
    func file(forPath path: String) -> (body: [UInt8], contentType: String)? {
        let name = path == "/" ? "index.html" : String(path.drop { $0 == "/" })
        guard !name.isEmpty, let body = lookup(name) else { return nil }
        return (body, Self.contentType(of: name))
    }

    /// The media type for a file name's extension.
    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last.map({ $0.lowercased() }) {
        case "html": return "text/html; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "json": return "application/json"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "ico": return "image/x-icon"
        case "txt", "md": return "text/plain; charset=utf-8"
        default: return "application/octet-stream"
        }
    }
}
