/// Splits and builds framed byte streams for tests.
public enum Frames {
    /// One NDJSON line.
    public static func ndjson(_ body: [UInt8]) -> [UInt8] { body + [10] }

    /// One Content-Length frame.
    public static func header(_ body: [UInt8]) -> [UInt8] { Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body }

    /// Splits NDJSON output into message bodies.
    public static func splitNDJSON(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 10, omittingEmptySubsequences: true).map(Array.init)
    }

    /// Splits Content-Length output into bodies; nil when the framing is not exactly
    /// `Content-Length: N\r\n\r\n` + N bytes.
    public static func splitHeaders(_ bytes: [UInt8]) -> [[UInt8]]? {
        var out: [[UInt8]] = []
        var i = 0
        let prefix = Array("Content-Length: ".utf8)
        while i < bytes.count {
            guard bytes.count - i > prefix.count, Array(bytes[i..<(i + prefix.count)]) == prefix else { return nil }
            i += prefix.count
            var n = 0
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { n = n * 10 + Int(bytes[i] - 48); i += 1 }
            guard bytes.count - i >= 4 + n, Array(bytes[i..<(i + 4)]) == Array("\r\n\r\n".utf8) else { return nil }
            i += 4
            out.append(Array(bytes[i..<(i + n)]))
            i += n
        }
        return out
    }
}
