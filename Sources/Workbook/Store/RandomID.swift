import Foundation

/// Random (version 4) UUIDs, lowercased, for revisions, passes and database ids.
enum RandomID {
    /// A new id from the system generator (`getrandom`): Foundation's `UUID()` in the static binary
    /// opened and read /dev/urandom at every call, once per save.
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<2).map { _ in generator.next() as UInt64 }
        return bytes.withUnsafeMutableBytes { raw -> String in
            raw[6] = (raw[6] & 0x0F) | 0x40  // version 4
            raw[8] = (raw[8] & 0x3F) | 0x80  // RFC 4122 variant
            let b = raw.bindMemory(to: UInt8.self)
            let uuid = UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                                   b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
            return uuid.uuidString.lowercased()
        }
    }
}
