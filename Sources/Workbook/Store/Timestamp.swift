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
            if scalar.properties.isWhitespace {
                if inWord && hasContent { words += 1 }
                inWord = false; hasContent = false
            } else {
                inWord = true
                if scalar.properties.isAlphabetic || scalar.properties.numericType != nil { hasContent = true }
            }
        }
        if inWord && hasContent { words += 1 }
        return words
    }
}
