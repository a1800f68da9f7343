import Foundation
import TestSupport
import XCTest
@testable import Workbook

/// The pack validator matches ids, versions and language tags by hand (no ICU at start-up); these
/// tests hold each matcher to the regular expression in `schema/workbook-pack.schema.json`.
final class ContentPackPatternTests: XCTestCase {
    func testEachMatcherCarriesTheSchemasOwnPattern() throws {
        // Given the schema file, when its three patterns are read, then they are the matchers' patterns.
        let data = try Data(contentsOf: repoRoot().appendingPathComponent("schema/workbook-pack.schema.json"))
        let schema = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let properties = try XCTUnwrap(schema["properties"] as? [String: [String: Any]])
        let defs = try XCTUnwrap(schema["$defs"] as? [String: [String: Any]])
        XCTAssertEqual(properties["version"]?["pattern"] as? String, PackPattern.semver.regex)
        XCTAssertEqual(properties["language"]?["pattern"] as? String, PackPattern.language.regex)
        XCTAssertEqual(defs["slug"]?["pattern"] as? String, PackPattern.slug.regex)
    }

    func testEachMatcherAgreesWithItsRegexOnEveryShortStringAndARandomSample() throws {
        let alphabets: [PackPattern: [Character]] = [
            .slug: ["a", "z", "0", "9", "-", ".", "A", "_"],
            .semver: ["0", "1", "9", ".", "-", "+", "a", "Z"],
            .language: ["e", "N", "3", "-", "_", "."],
        ]
        var rng = SeededRandom(seed: 20261202) // a disagreement is reproducible
        for pattern in PackPattern.allCases {
            let regex = try NSRegularExpression(pattern: pattern.regex)
            let alphabet = try XCTUnwrap(alphabets[pattern])
            // Given every string of up to 4 characters, and 5 000 random ones of up to 14.
            var cases = [""]
            var layer = [""]
            for _ in 1...4 {
                layer = layer.flatMap { prefix in alphabet.map { prefix + String($0) } }
                cases += layer
            }
            for _ in 0..<5_000 {
                cases.append(String((0..<Int.random(in: 1...14, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
            }
            // And 5 000 made of tokens, so that long matching strings are common too.
            let tokens = ["0", "1", "10", "01", "a", "rc", "en", "GB", "zh", "-", ".", "+", "1.2.3", "who", "x1"]
            for _ in 0..<5_000 {
                cases.append((0..<Int.random(in: 1...8, using: &rng)).map { _ in tokens.randomElement(using: &rng)! }.joined())
            }
            cases += ["1.0.0", "10.20.30-rc.1+build.5", "01.0.0", "1.0.0-", "1.0.0+", "1.0.0-a..b", "en-GB", "zh-Hant",
                      "pt-BR-x-123456789", "who-do-i-stand-with.relationships", "a--b", "a.-b", "-a", "a."]
            var matched = 0
            for text in cases {
                // When both judge it, then they agree.
                let expected = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                XCTAssertEqual(pattern.matches(text), expected, "\(pattern) on \"\(text)\"")
                if expected { matched += 1 }
            }
            XCTAssertGreaterThan(matched, 50, "\(pattern): the sample must include matching strings")
        }
    }

    func testATrailingNewlineIsNotAccepted() {
        // ICU's `$` also matches before a final newline; JSON Schema's (ECMA-262) does not, nor do we.
        XCTAssertFalse(PackPattern.slug.matches("solidarity\n"))
        XCTAssertFalse(PackPattern.semver.matches("1.0.0\n"))
        XCTAssertTrue(PackPattern.slug.matches("solidarity"))
    }
}

