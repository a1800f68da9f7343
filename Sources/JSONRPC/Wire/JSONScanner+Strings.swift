extension JSONScanner {
    /// Decodes an already validated JSON string literal (quotes included) to a Swift string.
    /// Lone surrogate escapes become U+FFFD.
    public static func unescape(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        let body = (range.lowerBound + 1)..<(range.upperBound - 1)
        var hasEscape = false
        for k in body where bytes[k] == UInt8(ascii: "\\") { hasEscape = true; break }
        if !hasEscape { return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[body]), as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var k = body.lowerBound
        func hex4(_ at: Int) -> UInt32 {
            (0..<4).reduce(0) { $0 << 4 | (hex(bytes[at + $1]) ?? 0) }
        }
        func append(scalar v: UInt32) {
            let s = Unicode.Scalar(v) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(s)).utf8))
        }
        while k < body.upperBound {
            let c = bytes[k]
            guard c == UInt8(ascii: "\\") else { out.append(c); k += 1; continue }
            let e = bytes[k + 1]
            k += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let u = hex4(k)
                k += 4
                if (0xD800...0xDBFF).contains(u), k + 6 <= body.upperBound,
                   bytes[k] == UInt8(ascii: "\\"), bytes[k + 1] == UInt8(ascii: "u") {
                    let low = hex4(k + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        append(scalar: 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00))
                        k += 6
                        continue
                    }
                }
                append(scalar: u)
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Removes the whitespace between tokens of valid JSON text (strings are kept byte for byte).
    public static func compact(_ json: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(json.count)
        var inString = false, escaped = false
        for c in json {
            if inString {
                out.append(c)
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch c {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case UInt8(ascii: "\""): inString = true; out.append(c)
            default: out.append(c)
            }
        }
        return out
    }

    /// Encodes `s` as a JSON string literal (quotes included), escaping what JSON requires.
    public static func quote(_ s: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(s.utf8.count + 2)
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""): out += [0x5C, 0x22]
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                out += [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), digits[Int(c >> 4)], digits[Int(c & 0xF)]]
            default: out.append(c)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }
}
