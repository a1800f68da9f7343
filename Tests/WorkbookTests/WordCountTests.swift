import XCTest
@testable import Workbook

/// The word count's ASCII shortcut agrees with the Unicode property tables it stands in for.
final class WordCountTests: XCTestCase {
    func testTheASCIIShortcutAgreesWithTheUnicodeTables() {
        for value in 0..<0x80 {
            let s = Unicode.Scalar(UInt8(value))
            XCTAssertEqual(WordCount.isWhitespace(s), s.properties.isWhitespace, "U+\(String(value, radix: 16))")
            XCTAssertEqual(WordCount.isContent(s), s.properties.isAlphabetic || s.properties.numericType != nil,
                           "U+\(String(value, radix: 16))")
        }
    }

    func testWordsAreRunsBetweenWhitespaceWithALetterOrDigit() {
        XCTAssertEqual(WordCount.count(""), 0)
        XCTAssertEqual(WordCount.count("one two  three\n"), 3)
        XCTAssertEqual(WordCount.count(" -- ... 42 x\tÜber\u{00A0}naïve 連帯 🤝 "), 5)
    }
}
