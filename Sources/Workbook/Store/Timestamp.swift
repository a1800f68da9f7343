import Foundation

/// The one time format: RFC 3339 UTC with milliseconds, e.g. `2026-11-25T12:00:00.123Z`.
enum Timestamp {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    /// Formats a date.
    static func string(_ date: Date) -> String { style.format(date) }

    /// Parses a timestamp written by `string(_:)` (or any RFC 3339 time with fractional seconds).
    static func date(_ text: String) -> Date? { try? style.parse(text) }
}

/// Word counting for progress: whitespace-separated tokens holding at least one letter or digit.
enum WordCount {
    /// The number of words in `text`.
    static func count(_ text: String) -> Int {
        var words = 0
        var inWord = false
        var hasContent = false
        for scalar in text.unicodeScalars {
            if isWhitespace(scalar) {
                if inWord && hasContent { words += 1 }
                inWord = false; hasContent = false
            } else {
                inWord = true
                if !hasContent && isContent(scalar) { hasContent = true }
            }
        }
        if inWord && hasContent { words += 1 }
        return words
    }

    // ASCII answered without the Unicode property tables (their lookups were 7 % of a saveMany's
    // CPU); the same answers as the tables give (`WordCountTests` checks every ASCII scalar).
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x80 ? (s.value == 0x20 || (0x09...0x0D).contains(s.value)) : s.properties.isWhitespace
    }

    static func isContent(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 {
            return (0x41...0x5A).contains(s.value) || (0x61...0x7A).contains(s.value) || (0x30...0x39).contains(s.value)
        }
        return s.properties.isAlphabetic || s.properties.numericType != nil
    }
}
