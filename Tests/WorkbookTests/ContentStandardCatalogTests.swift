import XCTest
@testable import Workbook

/// The embedded default pack: structure, ids and attribution as CONTENT.md describes them.
final class ContentStandardCatalogTests: XCTestCase {
    let catalog = WorkbookCatalog.standard

    func testStandardCatalogServesOnlyTheSolidarityWorkbook() throws {
        // Given the embedded catalog
        // When we look at its packs
        let pack = try XCTUnwrap(catalog.pack("solidarity"))
        // Then it holds exactly the default workbook, version 1.0.0, in English
        XCTAssertEqual(catalog.packs.map(\.id), ["solidarity"])
        XCTAssertEqual(catalog.defaultWorkbookId, "solidarity")
        XCTAssertEqual(pack.version, "1.0.0")
        XCTAssertEqual(pack.title, "Workshopping Solidarity")
        XCTAssertEqual(pack.language, "en")
    }

    func testTwentyTwoPromptsInReadingOrderWithTheirSections() {
        // Given the default workbook
        // When we list its prompts
        let prompts = catalog.prompts(in: "solidarity")
        // Then there are 22, grouped 4 / 1+5 / 1+6 / 1+4 by innermost section, with stable ids
        XCTAssertEqual(prompts.count, 22)
        XCTAssertEqual(prompts.map(\.index), Array(0..<22))
        let bySection = Dictionary(grouping: prompts, by: \.sectionId).mapValues(\.count)
        XCTAssertEqual(bySection, ["what-is-solidarity": 4, "defining-solidarity.who": 6,
                                   "defining-solidarity.meaning": 7, "defining-solidarity.allyship": 5])
        XCTAssertEqual(prompts.map(\.prompt.id), [
            "what-is-solidarity.better-future", "what-is-solidarity.erased",
            "what-is-solidarity.seeking-out", "what-is-solidarity.ignored-voices",
            "who-do-i-stand-with", "who-do-i-stand-with.relationships", "who-do-i-stand-with.intimacy",
            "who-do-i-stand-with.major-issues", "who-do-i-stand-with.nuance", "who-do-i-stand-with.root-causes",
            "solidarity-means", "solidarity-means.motivation", "solidarity-means.sustained-maintenance",
            "solidarity-means.show-solidarity", "solidarity-means.research", "solidarity-means.sacrifice",
            "solidarity-means.end-goals",
            "performative-allyship", "performative-allyship.performative-people",
            "performative-allyship.root-actions", "performative-allyship.co-opting",
            "performative-allyship.acknowledge-wrong",
        ])
    }

    func testSectionsReadInOrderWithTitles() throws {
        // Given the default pack
        let pack = try XCTUnwrap(catalog.pack("solidarity"))
        // When we read its sections
        let top = pack.items.map { "\($0.id)|\($0.title ?? "")" }
        let nested = pack.items[1].items?.filter { $0.kind == .section }.map { "\($0.id)|\($0.title ?? "")" }
        // Then the two seed headings come first, the three numbered questions nest under the second
        XCTAssertEqual(top, ["what-is-solidarity|What is Solidarity?",
                             "defining-solidarity|Defining Solidarity For Yourself"])
        XCTAssertEqual(nested, [
            "defining-solidarity.who|Who do I want to stand in solidarity with?",
            "defining-solidarity.meaning|What does solidarity mean to me?",
            "defining-solidarity.allyship|What delineates solidarity from performative allyship/co-opting in my life?",
        ])
    }

    func testOpeningPromptsAreTheEmbeddedQuestionsWithTheirParagraphs() {
        // Given the opening section
        // When we read its prompts
        let opening = catalog.prompts(in: "solidarity").prefix(4).map(\.prompt)
        // Then each is the question word for word, framed by the paragraph it came from
        XCTAssertEqual(opening.map(\.text), [
            "are we constructing a “better future” for Asian Americans only based on the ideas of cisgender, "
                + "affluent Asian Americans? Or perhaps those who are conventionally attractive and able-bodied?",
            "Who is being erased, mis or underrepresented in our conversations for change?",
            "who are we seeking out, listening to, and supporting (financially or otherwise) in those groups?",
            "What voices from those groups are we ignoring, consciously or unconsciously?",
        ])
        XCTAssertEqual(opening.map(\.contextIds), [
            ["what-is-solidarity.prioritize"], ["what-is-solidarity.prioritize"],
            ["what-is-solidarity.standing-with"], ["what-is-solidarity.standing-with"],
        ])
        XCTAssertEqual(opening.map(\.leadPromptId), [nil, nil, nil, nil])
    }

    func testLeadPromptsCarryGuidanceAndIntroductionAndSubQuestionsPointToTheirLead() {
        // Given the 18 prompts of "Defining Solidarity For Yourself"
        let prompts = catalog.prompts(in: "solidarity").dropFirst(4).map(\.prompt)
        // When we split them into leads and sub-questions
        let leads = prompts.filter { $0.leadPromptId == nil }
        let subs = prompts.filter { $0.leadPromptId != nil }
        // Then there are 3 leads framed by the introduction, and 5 / 6 / 4 sub-questions under them
        XCTAssertEqual(leads.map(\.id), ["who-do-i-stand-with", "solidarity-means", "performative-allyship"])
        XCTAssertEqual(leads.map(\.contextIds), Array(repeating: ["defining-solidarity.introduction"], count: 3))
        XCTAssertEqual(leads.map(\.guidance), [
            "Consider the intersectional identities such as race, gender, sexual orientation, class (both current "
                + "and childhood), education level, religion, nationality, ethnicity, physical and/or neurodivergence",
            nil, nil,
        ])
        XCTAssertEqual(Dictionary(grouping: subs, by: { $0.leadPromptId! }).mapValues(\.count),
                       ["who-do-i-stand-with": 5, "solidarity-means": 6, "performative-allyship": 4])
        XCTAssertTrue(subs.allSatisfy { $0.id.hasPrefix($0.leadPromptId! + ".") })
        XCTAssertEqual(catalog.prompt("solidarity-means.show-solidarity")?.prompt.text,
                       "What are the best ways I can show solidarity? What talents/passions can I offer in movement spaces?")
    }

    func testEveryContextIdNamesAContextItem() {
        // Given every prompt of the default workbook
        for location in catalog.prompts(in: "solidarity") {
            // When we resolve its context ids
            for id in location.prompt.contextIds ?? [] {
                // Then each names a context item
                XCTAssertEqual(catalog.item(id)?.item.kind, .context, "\(location.prompt.id) → \(id)")
            }
        }
    }

    func testAttributionAndClosingPointer() throws {
        // Given the default pack
        let pack = try XCTUnwrap(catalog.pack("solidarity"))
        let pointer = "For the full segment on transformative solidarity, examples of Asian American solidarity "
            + "across history, steps for combating scarcity, and ways to hold yourself accountable please "
            + "refer to Part 2 of the toolkit."
        // When we read its attribution and its last context item
        let contexts = contextItems(pack.items)
        // Then the dead links are gone, the link text stays, and the Part 2 pointer closes the workbook
        XCTAssertEqual(pack.attribution, Attribution(
            title: "Workshopping Solidarity",
            source: "An excerpt from the Unlearning Scarcity, Cultivating Solidarity toolkit",
            note: pointer))
        XCTAssertEqual(contexts.last?.id, "defining-solidarity.part-2")
        XCTAssertEqual(contexts.last?.text, pointer)
        XCTAssertEqual(contexts.map(\.id), [
            "what-is-solidarity.definition", "what-is-solidarity.intersectionality",
            "what-is-solidarity.not-additive", "what-is-solidarity.prioritize", "what-is-solidarity.standing-with",
            "defining-solidarity.introduction", "defining-solidarity.part-2",
        ])
        XCTAssertFalse(try String(decoding: JSONEncoder().encode(pack), as: UTF8.self).contains("(#)"))
    }

    func testEmbeddedResourceIsTheValidatedPack() throws {
        // Given the raw embedded bytes
        let data = Data(PackageResources.solidarity_json)
        // When they are decoded plainly and validated
        let decoded = try JSONDecoder().decode(Pack.self, from: data)
        // Then both readings agree with the served pack
        XCTAssertEqual(decoded, WorkbookCatalog.standardPack)
        XCTAssertEqual(try PackValidator.validate(data, file: "x.json"), decoded)
    }
}

/// Context items in reading order, depth first.
func contextItems(_ items: [PackItem]) -> [PackItem] {
    items.flatMap { item -> [PackItem] in
        item.kind == .context ? [item] : contextItems(item.items ?? [])
    }
}
