import Foundation

/// UUIDs, lowercased: random ones (version 4) for passes and database ids, time-ordered ones
/// (version 7) for revisions.
public enum RandomID {
    /// A new random id from the system generator (`getrandom`): Foundation's `UUID()` in the static
    /// binary opened and read /dev/urandom at every call, once per save.
    public static func make() -> String {
        format(randomBytes(), version: 0x40)
    }

    /// A version 7 UUID (RFC 9562): the Unix time in milliseconds, then 74 random bits. Revision
    /// uuids are indexed (UNIQUE): random ones put each new revision on a random page of that
    /// index, time-ordered ones on its last page (a 100-answer `saveMany` wrote about a page per
    /// answer more with version 4). The time is the save's, which the revision records as `at` anyway.
    public static func timeOrdered(at date: Date) -> String {
        var bytes = randomBytes()
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - i))) }
        return format(bytes, version: 0x70)
    }

    /// 16 bytes from the system's generator, drawn 512 at a time: one `getrandom` call per 8 bytes
    /// (the standard library's generator) was ~2 % of a `saveMany`'s writer time, one id per answer.
    private static func randomBytes() -> [UInt8] { pool.take16() }

    private static let pool = RandomPool()

    private final class RandomPool: @unchecked Sendable {
        private let lock = NSLock()
        private var buffer = [UInt8](repeating: 0, count: 512)
        private var used = 512

        func take16() -> [UInt8] {
            lock.withLock {
                if used == buffer.count {
                    buffer.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
                    used = 0
                }
                defer { used += 16 }
                return Array(buffer[used..<used + 16])
            }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The canonical 8-4-4-4-12 lowercase form, written directly (`UUID().uuidString.lowercased()`
    /// went through Foundation and a Unicode case mapping, 1.3 % of a `saveMany`'s samples).
    static func format(_ bytes: [UInt8], version: UInt8) -> String {
        var b = bytes
        b[6] = (b[6] & 0x0F) | version
        b[8] = (b[8] & 0x3F) | 0x80  // RFC 4122 variant
        return String(unsafeUninitializedCapacity: 36) { out in
            var n = 0
            for (i, byte) in b.enumerated() {
                if i == 4 || i == 6 || i == 8 || i == 10 { out[n] = UInt8(ascii: "-"); n += 1 }
                out[n] = hexDigits[Int(byte >> 4)]
                out[n + 1] = hexDigits[Int(byte & 0x0F)]
                n += 2
            }
            return n
        }
    }
}
