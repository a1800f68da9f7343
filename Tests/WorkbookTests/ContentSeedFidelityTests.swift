import XCTest
@testable import Workbook

/// The default pack against its source text, `../shared/seeds/000_fd7590ec67047f79.txt`.
final class ContentSeedFidelityTests: XCTestCase {
    let pack = WorkbookCatalog.standardPack

    /// The seed's non-empty lines, trimmed, with dead links `[x](#)` reduced to `x`.
    func seedLines() throws -> [String] {
        let url = try sharedDir().appendingPathComponent("seeds/000_fd7590ec67047f79.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline)
            .map { unlink(String($0)).trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    func unlink(_ text: String) -> String {
        text.replacingOccurrences(of: #"\[([^\]]*)\]\(#\)"#, with: "$1", options: .regularExpression)
    }

    /// A line without its list marker (`- ` or `1. `).
    func unlisted(_ line: String) -> String {
        line.replacingOccurrences(of: #"^(- |[0-9]+\. )"#, with: "", options: .regularExpression)
    }

    /// The seed's closing line. The brief warned that a copy of the seed ends in a stray "2" after
    /// `(#).` — a footnote marker whose footnote is not part of the excerpt. We DROP it: served, it would
    /// read "toolkit.2". This copy of the seed ends cleanly in "(#)."; the regex handles both.
    func withoutFootnoteMarker(_ line: String) -> String {
        line.replacingOccurrences(of: #"(?<=\.)[0-9]+$"#, with: "", options: .regularExpression)
    }

    func allItems(_ items: [PackItem]) -> [PackItem] {
        items.flatMap { [$0] + allItems($0.items ?? []) }
    }

    func testEveryQuestionOfTheSeedIsInSomePrompt() throws {
        // Given every sentence of the seed that ends in "?" (the heading aside)
        let lines = try seedLines()
        var questions: [String] = []
        for line in lines.map(unlisted) {
            let sentences = line.components(separatedBy: "? ").enumerated().map { n, part in
                n < line.components(separatedBy: "? ").count - 1 ? part + "?" : part
            }
            for sentence in sentences where sentence.hasSuffix("?") && sentence != "What is Solidarity?" {
                // The question of "…we need to ask ourselves: are we …?" starts after the lead-in.
                let clause = sentence.components(separatedBy: ": ").last!
                    .components(separatedBy: " -- ").last!
                // Keep only the last sentence of a clause that spans several ("…. Who is …?").
                questions.append(clause.components(separatedBy: ". ").last!)
            }
        }
        // When we gather the served prompt texts and guidance
        let prompts = allItems(pack.items).filter { $0.kind == .prompt }
        let served = prompts.map { $0.text + "\n" + ($0.guidance ?? "") }
        // Then each question appears verbatim in one of them
        XCTAssertEqual(questions.count, 28)
        for question in questions {
            XCTAssertTrue(served.contains { $0.contains(question) }, "not served: \(question)")
        }
        XCTAssertTrue(questions.contains("Or perhaps those who are conventionally attractive and able-bodied?"))
    }

    func testEveryContextParagraphOfTheSeedIsServed() throws {
        // Given the seed's prose paragraphs (long lines that are not list items)
        let lines = try seedLines()
        let paragraphs = lines.filter {
            !$0.hasPrefix("- ") && $0.range(of: #"^[0-9]+\. "#, options: .regularExpression) == nil
                && $0.split(separator: " ").count >= 12
        }.map(withoutFootnoteMarker)
        // When we gather the context items
        let contexts = contextItems(pack.items).map(\.text)
        // Then each paragraph is served as a context item, in reading order, the Part 2 pointer last
        XCTAssertEqual(paragraphs.count, 7)
        XCTAssertEqual(contexts, paragraphs)
    }

    func testTitleAttributionAndHeadingsMatchTheSeed() throws {
        // Given the seed's opening lines and headings
        let lines = try seedLines()
        // When we compare them with the pack
        let source = try XCTUnwrap(pack.attribution?.source)
        // Then the title and source match exactly (the seed's dead link is plain text, without emphasis),
        // and every heading is a section title
        XCTAssertEqual(lines[0], pack.title)
        XCTAssertEqual(lines[0], pack.attribution?.title)
        XCTAssertEqual(lines[1], source)
        let titles = Set(allItems(pack.items).compactMap(\.title))
        XCTAssertTrue(titles.isSuperset(of: ["What is Solidarity?", "Defining Solidarity For Yourself"]))
        XCTAssertEqual(pack.attribution?.note, withoutFootnoteMarker(lines.last!))
    }

    func testEverySubQuestionLineIsOnePromptWordForWord() throws {
        // Given the seed's bulleted sub-questions
        let bullets = try seedLines().filter { $0.hasPrefix("- ") }.map(unlisted)
        // When we take the sub-question prompts
        let subs = allItems(pack.items).filter { $0.leadPromptId != nil }.map(\.text)
        // Then they are the bullet lines, one prompt each, in order
        XCTAssertEqual(subs, bullets)
    }
}
