/// A validating JSON scanner that never recurses: it checks a whole text (syntax, UTF-8, nesting
/// depth) and returns the byte ranges of the top-level members or elements, so the envelope can be
/// read without building a tree and `params` can be decoded straight from its own bytes.
public struct JSONScanner {
    /// Why a text was not accepted.
    public enum Failure: Error, Equatable, Sendable {
        /// Not JSON (or not UTF-8), with a short reason and byte offset.
        case syntax(String, offset: Int)
        /// Nested deeper than the limit.
        case tooDeep(limit: Int)
    }

    /// The kind of a JSON value, read from its first byte.
    public enum Kind: Equatable, Sendable { case object, array, string, number, bool, null }

    /// A scanned top-level value.
    public enum TopLevel: Sendable {
        /// An object's members: unescaped key and the value's byte range, in document order.
        case object([(key: String, value: Range<Int>)])
        /// An array's element ranges.
        case array([Range<Int>])
        /// Any other value's range.
        case scalar(Kind, Range<Int>)
    }

    private let bytes: UnsafeRawBufferPointer
    private let maxDepth: Int
    private var i = 0

    private init(_ bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Validates `bytes` as one JSON text and returns its top-level structure.
    public static func scan(_ bytes: UnsafeRawBufferPointer, maxDepth: Int) throws(Failure) -> TopLevel {
        var s = JSONScanner(bytes, maxDepth: maxDepth)
        s.skipSpace()
        guard s.i < bytes.count else { throw .syntax("empty message", offset: 0) }
        let top: TopLevel
        switch bytes[s.i] {
        case UInt8(ascii: "{"): top = .object(try s.topObject())
        case UInt8(ascii: "["): top = .array(try s.topArray())
        default:
            let start = s.i
            let kind = try s.value(depth: 0)
            top = .scalar(kind, start..<s.i)
        }
        s.skipSpace()
        guard s.i == bytes.count else { throw .syntax("unexpected data after the JSON value", offset: s.i) }
        return top
    }

    /// The kind of the value starting at `range.lowerBound` of `bytes`.
    public static func kind(of range: Range<Int>, in bytes: UnsafeRawBufferPointer) -> Kind {
        switch bytes[range.lowerBound] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: return .number
        }
    }

    private mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    private func fail(_ reason: String) -> Failure { .syntax(reason, offset: i) }

    private mutating func expect(_ c: UInt8, _ what: String) throws(Failure) {
        skipSpace()
        guard i < bytes.count, bytes[i] == c else {
            throw fail(i < bytes.count ? "expected \(what)" : "unexpected end of input (truncated JSON)")
        }
        i += 1
    }

    private mutating func topObject() throws(Failure) -> [(key: String, value: Range<Int>)] {
        var members: [(key: String, value: Range<Int>)] = []
        i += 1
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return members }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail(i < bytes.count ? "expected a string key" : "unexpected end of input (truncated JSON)") }
            let keyStart = i
            try string()
            let key = JSONScanner.unescape(bytes, keyStart..<i)
            try expect(UInt8(ascii: ":"), "':'")
            skipSpace()
            let start = i
            _ = try value(depth: 1)
            members.append((key, start..<i))
            skipSpace()
            guard i < bytes.count else { throw fail("unexpected end of input (truncated JSON)") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return members }
            throw fail("expected ',' or '}'")
        }
    }

    private mutating func topArray() throws(Failure) -> [Range<Int>] {
        var elements: [Range<Int>] = []
        i += 1
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return elements }
        while true {
            skipSpace()
            let start = i
            _ = try value(depth: 1)
            elements.append(start..<i)
            skipSpace()
            guard i < bytes.count else { throw fail("unexpected end of input (truncated JSON)") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return elements }
            throw fail("expected ',' or ']'")
        }
    }

    /// Scans one value of any depth iteratively; `depth` is the nesting level it starts at.
    private mutating func value(depth: Int) throws(Failure) -> Kind {
        skipSpace()
        guard i < bytes.count else { throw fail("unexpected end of input (truncated JSON)") }
        let first = bytes[i]
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return try scalar() }
        // Containers: an explicit stack of open brackets (true = object), bounded by maxDepth.
        var stack: [Bool] = []
        var expectingValue = true
        while true {
            skipSpace()
            guard i < bytes.count else { throw fail("unexpected end of input (truncated JSON)") }
            let c = bytes[i]
            if expectingValue {
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                    guard depth + stack.count + 1 <= maxDepth else { throw .tooDeep(limit: maxDepth) }
                    let isObject = c == UInt8(ascii: "{")
                    stack.append(isObject)
                    i += 1
                    skipSpace()
                    guard i < bytes.count else { throw fail("unexpected end of input (truncated JSON)") }
                    if bytes[i] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        i += 1
                        stack.removeLast()
                        if stack.isEmpty { return isObject ? .object : .array }
                        expectingValue = false
                        continue
                    }
                    if isObject { try key() }
                    continue
                }
                _ = try scalar()
                expectingValue = false
                continue
            }
            let isObject = stack[stack.count - 1]
            if c == UInt8(ascii: ",") {
                i += 1
                if isObject { try key() }
                expectingValue = true
            } else if c == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                i += 1
                stack.removeLast()
                if stack.isEmpty { return first == UInt8(ascii: "{") ? .object : .array }
            } else {
                throw fail(isObject ? "expected ',' or '}'" : "expected ',' or ']'")
            }
        }
    }

    private mutating func key() throws(Failure) {
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
            throw fail(i < bytes.count ? "expected a string key" : "unexpected end of input (truncated JSON)")
        }
        try string()
        try expect(UInt8(ascii: ":"), "':'")
    }

    private mutating func scalar() throws(Failure) -> Kind {
        switch bytes[i] {
        case UInt8(ascii: "\""): try string(); return .string
        case UInt8(ascii: "t"): try literal("true"); return .bool
        case UInt8(ascii: "f"): try literal("false"); return .bool
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number(); return .number
        default: throw fail("unexpected character")
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw fail("unexpected end of input (truncated JSON)") }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] { throw fail("invalid literal") }
        i += n
    }

    private mutating func digits() -> Int {
        let start = i
        while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
        return i - start
    }

    private mutating func number() throws(Failure) {
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count else { throw fail("unexpected end of input (truncated JSON)") }
        if bytes[i] == UInt8(ascii: "0") { i += 1 } else if digits() == 0 { throw fail("invalid number") }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw fail("invalid number") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw fail("invalid number") }
        }
    }

    /// Scans a string starting at its opening quote, checking escapes, control characters and UTF-8.
    private mutating func string() throws(Failure) {
        i += 1
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; return }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { break }
                switch bytes[i] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 1
                case UInt8(ascii: "u"):
                    guard i + 4 < bytes.count else { throw fail("unexpected end of input (truncated JSON)") }
                    for k in 1...4 where JSONScanner.hex(bytes[i + k]) == nil { throw fail("invalid \\u escape") }
                    i += 5
                default: throw fail("invalid escape")
                }
            } else if c < 0x20 {
                throw fail("control character in string")
            } else if c < 0x80 {
                i += 1
            } else {
                try utf8Sequence()
            }
        }
        throw fail("unexpected end of input (truncated JSON)")
    }

    /// Validates one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
    private mutating func utf8Sequence() throws(Failure) {
        let c = bytes[i]
        let len: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: len = 2
        case 0xE0: len = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: len = 3
        case 0xED: len = 3; hi = 0x9F
        case 0xF0: len = 4; lo = 0x90
        case 0xF1...0xF3: len = 4
        case 0xF4: len = 4; hi = 0x8F
        default: throw fail("invalid UTF-8")
        }
        guard i + len <= bytes.count else { throw fail("invalid UTF-8") }
        let second = bytes[i + 1]
        guard second >= lo, second <= hi else { throw fail("invalid UTF-8") }
        for k in 2..<len where bytes[i + k] & 0xC0 != 0x80 { throw fail("invalid UTF-8") }
        i += len
    }

    static func hex(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
