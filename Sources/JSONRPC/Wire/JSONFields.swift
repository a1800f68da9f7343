/// Reads the common shapes of already validated JSON by hand, for params readers that skip
/// `JSONDecoder` (`FastDecodableParams`). Every accessor returns nil for anything it does not take
/// (another kind, a number that is not a plain integer, a string with a surrogate escape); the
/// caller then falls back to the decoder, which gives the exact result or error.
public struct JSONFields {
    /// The JSON text, already validated by `JSONScanner`.
    public let bytes: UnsafeRawBufferPointer

    /// Reads `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The whole text's range.
    public var all: Range<Int> { 0..<bytes.count }

    /// The members of the object at `range` (keys unescaped, ranges in `bytes`), or nil when it is not
    /// an object or a key repeats (the decoder decides what a repeated key means).
    public func object(_ range: Range<Int>) -> [(key: String, value: Range<Int>)]? {
        guard case let .object(members)? = scan(range) else { return nil }
        for (n, member) in members.enumerated() where members[..<n].contains(where: { $0.key == member.key }) {
            return nil
        }
        return members.map { ($0.key, $0.value.lowerBound + range.lowerBound..<$0.value.upperBound + range.lowerBound) }
    }

    /// The element ranges of the array at `range` (in `bytes`), or nil when it is not an array.
    public func array(_ range: Range<Int>) -> [Range<Int>]? {
        guard case let .array(elements)? = scan(range) else { return nil }
        return elements.map { $0.lowerBound + range.lowerBound..<$0.upperBound + range.lowerBound }
    }

    /// The string at `range`, or nil when it is not a string or escapes a UTF-16 surrogate (the
    /// decoder's handling of those is its own).
    public func string(_ range: Range<Int>) -> String? {
        guard bytes[range.lowerBound] == UInt8(ascii: "\"") else { return nil }
        var k = range.lowerBound + 1
        while k < range.upperBound - 1 {
            if bytes[k] == UInt8(ascii: "\\") {
                if bytes[k + 1] == UInt8(ascii: "u"), let high = hexByte(at: k + 2), (0xD8...0xDF).contains(high) { return nil }
                k += 2
            } else {
                k += 1
            }
        }
        return JSONScanner.unescape(bytes, range)
    }

    /// The plain integer literal at `range` (`-?[0-9]+`, within `Int`), or nil for anything else.
    public func int(_ range: Range<Int>) -> Int? {
        var k = range.lowerBound
        let negative = bytes[k] == UInt8(ascii: "-")
        if negative { k += 1 }
        guard k < range.upperBound else { return nil }
        var value = 0
        while k < range.upperBound {
            let c = bytes[k]
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times.subtractingReportingOverflow(Int(c - UInt8(ascii: "0")))
                                      : times.addingReportingOverflow(Int(c - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            value = next
            k += 1
        }
        return value
    }

    /// Whether the value at `range` is `null`.
    public func isNull(_ range: Range<Int>) -> Bool { bytes[range.lowerBound] == UInt8(ascii: "n") }

    private func scan(_ range: Range<Int>) -> JSONScanner.TopLevel? {
        try? JSONScanner.scan(UnsafeRawBufferPointer(rebasing: bytes[range]), maxDepth: Int.max)
    }

    /// The first two hex digits of a `\u` escape as one byte (its high byte), or nil.
    private func hexByte(at k: Int) -> UInt8? {
        guard k + 1 < bytes.count, let hi = JSONScanner.hex(bytes[k]), let lo = JSONScanner.hex(bytes[k + 1]) else { return nil }
        return UInt8(hi << 4 | lo)
    }
}
