import XCTest
import Workbook

/// `PackValidator`: readable `.packInvalid` reasons naming the JSON path.
final class ContentPackValidatorTests: XCTestCase {
    /// The reason PackValidator gives for `json`, or nil when it accepts it.
    func reason(_ json: String, file: String = "p.json") -> String? {
        do {
            _ = try PackValidator.validate(Data(json.utf8), file: file)
            return nil
        } catch {
            guard case let .packInvalid(reportedFile, reason) = error else { return "unexpected \(error)" }
            XCTAssertEqual(reportedFile, file)
            return reason
        }
    }

    func testAcceptsAValidPackAndKeepsEveryField() throws {
        // Given a valid pack document
        // When it is validated
        let pack = try PackValidator.validate(Data(PackFixtures.valid().utf8), file: "extra.json")
        // Then the result carries its fields and its cross-references
        XCTAssertEqual(pack.id, "extra")
        XCTAssertEqual(pack.version, "0.2.0-beta.1")
        XCTAssertEqual(pack.language, "en-GB")
        XCTAssertEqual(pack.attribution, Attribution(title: "Someone", source: nil, note: nil))
        let items = try XCTUnwrap(pack.items.first?.items)
        XCTAssertEqual(items.map(\.id), ["extra.frame", "extra.lead", "extra.lead.sub"])
        XCTAssertEqual(items[1], PackItem(id: "extra.lead", kind: .prompt, text: "Why?", guidance: "Think.",
                                          contextIds: ["extra.frame"]))
        XCTAssertEqual(items[2].leadPromptId, "extra.lead")
    }

    func testRejectsNonJSON() {
        // Given bytes that are not JSON
        // When validated / Then the reason says so
        XCTAssertEqual(reason("{not json", file: "broken.json"), "not valid JSON")
        XCTAssertEqual(reason("[1, 2]"), "(root): must be a JSON object")
    }

    func testRejectsAMissingField() {
        // Given a pack without a version
        let json = #"{"id": "x", "title": "X", "summary": "", "language": "en", "items": [{"id": "a", "kind": "context", "text": "t"}]}"#
        // When validated / Then the missing field is named
        XCTAssertEqual(reason(json), #"(root): missing required field "version""#)
        XCTAssertEqual(reason(PackFixtures.withPrompt(#"{"id": "q", "kind": "prompt"}"#)),
                       #"items[0].items[1]: missing required field "text""#)
    }

    func testRejectsABadSlugNamingItsPath() {
        // Given a nested item whose id is not a slug
        let json = PackFixtures.withPrompt(#"{"id": "Bad Id", "kind": "prompt", "text": "Q?"}"#)
        // When validated / Then the reason names the JSON path and the value
        XCTAssertEqual(reason(json),
                       #"items[0].items[1].id: "Bad Id" is not a slug (lowercase words joined by - or .)"#)
    }

    func testRejectsBadVersionKindAndStructure() {
        XCTAssertEqual(reason(#"{"id": "x", "version": "1.0", "title": "X", "summary": "", "language": "en", "items": [{"id": "a", "kind": "context", "text": "t"}]}"#),
                       #"version: "1.0" is not a semantic version (e.g. 1.0.0)"#)
        XCTAssertEqual(reason(PackFixtures.withPrompt(#"{"id": "q", "kind": "question", "text": "Q?"}"#)),
                       #"items[0].items[1].kind: must be one of "section", "context", "prompt""#)
        XCTAssertEqual(reason(PackFixtures.withPrompt(#"{"id": "q", "kind": "prompt", "text": "Q?", "items": []}"#)),
                       #"items[0].items[1].items: only a section may have "items""#)
        XCTAssertEqual(reason(PackFixtures.withPrompt(#"{"id": "q", "kind": "prompt", "text": " "}"#)),
                       "items[0].items[1].text: must not be empty")
        XCTAssertEqual(reason(PackFixtures.withPrompt(#"{"id": "q", "kind": "prompt", "text": "Q?", "hint": 1}"#)),
                       "items[0].items[1].hint: unknown field")
    }

    func testRejectsADuplicateId() {
        // Given a prompt reusing the id of the context before it
        let json = PackFixtures.withPrompt(#"{"id": "frame", "kind": "prompt", "text": "Q?"}"#)
        // When validated / Then both places are named
        XCTAssertEqual(reason(json), #"items[0].items[1].id: "frame" is already used at items[0].items[0]"#)
    }

    func testRejectsADanglingLeadPromptId() {
        // Given a sub-question whose lead does not exist, or is not a prompt
        let missing = PackFixtures.withPrompt(#"{"id": "q", "kind": "prompt", "text": "Q?", "leadPromptId": "nope"}"#)
        let notPrompt = PackFixtures.withPrompt(#"{"id": "q", "kind": "prompt", "text": "Q?", "leadPromptId": "frame"}"#)
        // When validated / Then the reason names the reference
        XCTAssertEqual(reason(missing),
                       #"items[0].items[1].leadPromptId: "nope" does not name an earlier prompt of this pack"#)
        XCTAssertEqual(reason(notPrompt),
                       #"items[0].items[1].leadPromptId: "frame" does not name an earlier prompt of this pack"#)
    }

    func testRejectsALeadPromptThatComesLater() {
        // Given a sub-question placed before its lead
        let json = #"{"id": "x", "version": "1.0.0", "title": "X", "summary": "", "language": "en", "items": [{"id": "s", "kind": "section", "title": "S", "text": "", "items": [{"id": "s.sub", "kind": "prompt", "text": "Sub?", "leadPromptId": "s.lead"}, {"id": "s.lead", "kind": "prompt", "text": "Lead?"}]}]}"#
        // When validated / Then it is rejected
        XCTAssertEqual(reason(json),
                       #"items[0].items[0].leadPromptId: "s.lead" does not name an earlier prompt of this pack"#)
    }

    func testRejectsDanglingContextIds() {
        // Given prompts naming a missing item and a non-context item as context
        let missing = PackFixtures.withPrompt(#"{"id": "q", "kind": "prompt", "text": "Q?", "contextIds": ["frame", "gone"]}"#)
        let notContext = PackFixtures.withPrompt(#"{"id": "q", "kind": "prompt", "text": "Q?", "contextIds": ["part"]}"#)
        // When validated / Then the exact element is named
        XCTAssertEqual(reason(missing),
                       #"items[0].items[1].contextIds[1]: "gone" does not name a context item of this pack"#)
        XCTAssertEqual(reason(notContext),
                       #"items[0].items[1].contextIds[0]: "part" does not name a context item of this pack"#)
    }

    func testAcceptsAContextThatComesAfterItsPrompt() throws {
        // Given a prompt framed by a context placed after it
        let json = #"{"id": "x", "version": "1.0.0", "title": "X", "summary": "", "language": "en", "items": [{"id": "q", "kind": "prompt", "text": "Q?", "contextIds": ["c"]}, {"id": "c", "kind": "context", "text": "C."}]}"#
        // When validated / Then it is accepted
        XCTAssertNil(reason(json))
    }
}
