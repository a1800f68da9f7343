import XCTest
import Workbook

/// `WorkbookCatalog.load(packsDirectory:)`: default pack first, bad packs reported and skipped.
final class ContentPackLoaderTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-packs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: dir)
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: dir.appendingPathComponent(name))
    }

    func testLoadsValidPacksAndReportsBrokenAndCollidingOnes() throws {
        // Given a valid extra pack, a broken file, a pack reusing the extra pack's item ids, a non-JSON file
        try write("b-extra.json", PackFixtures.valid())
        try write("a-broken.json", "{\"id\": ")
        try write("c-colliding.json", PackFixtures.valid(id: "other", prefix: "extra"))
        try write("notes.txt", "not a pack")
        // When the directory is loaded
        let (catalog, problems) = WorkbookCatalog.load(packsDirectory: dir.path)
        // Then the default comes first, the extra pack loads, and two problems name their files
        XCTAssertEqual(catalog.packs.map(\.id), ["solidarity", "extra"])
        XCTAssertEqual(catalog.defaultWorkbookId, "solidarity")
        XCTAssertEqual(catalog.prompts(in: "extra").map(\.prompt.id), ["extra.lead", "extra.lead.sub"])
        XCTAssertEqual(catalog.prompts(in: "solidarity").count, 22)
        XCTAssertEqual(problems, [
            PackProblem(file: "a-broken.json", reason: "not valid JSON"),
            PackProblem(file: "c-colliding.json",
                        reason: #"item id "extra.part" is already used by workbook "extra""#),
        ])
    }

    func testRejectsAPackWhoseWorkbookIdIsTaken() throws {
        // Given two packs claiming the same workbook id, and one claiming the default's
        try write("1.json", PackFixtures.valid(id: "extra", prefix: "one"))
        try write("2.json", PackFixtures.valid(id: "extra", prefix: "two"))
        try write("3.json", PackFixtures.valid(id: "solidarity", prefix: "three"))
        // When the directory is loaded
        let (catalog, problems) = WorkbookCatalog.load(packsDirectory: dir.path)
        // Then the first by file name wins and the others are reported
        XCTAssertEqual(catalog.packs.map(\.id), ["solidarity", "extra"])
        XCTAssertEqual(catalog.prompts(in: "extra").first?.prompt.id, "one.lead")
        XCTAssertEqual(problems, [
            PackProblem(file: "2.json", reason: #"id: workbook "extra" is already loaded"#),
            PackProblem(file: "3.json", reason: #"id: workbook "solidarity" is already loaded"#),
        ])
    }

    func testRejectsAPackReusingAnIdOfTheDefaultPack() throws {
        // Given a pack whose prompt reuses a prompt id of the default workbook
        try write("mine.json", PackFixtures.withPrompt(#"{"id": "who-do-i-stand-with", "kind": "prompt", "text": "Q?"}"#))
        // When the directory is loaded
        let (catalog, problems) = WorkbookCatalog.load(packsDirectory: dir.path)
        // Then it is skipped, so answers keyed by that id stay unambiguous
        XCTAssertEqual(catalog.packs.map(\.id), ["solidarity"])
        XCTAssertEqual(problems, [PackProblem(
            file: "mine.json", reason: #"item id "who-do-i-stand-with" is already used by workbook "solidarity""#)])
    }

    func testAPacksPathThatIsNotADirectoryIsReported() throws {
        // Given a packs path naming a regular file
        let path = dir.appendingPathComponent("packs").path
        try write("packs", "{}")
        // When loading from it
        let (catalog, problems) = WorkbookCatalog.load(packsDirectory: path)
        // Then the default still loads and the path is reported
        XCTAssertEqual(catalog.packs.map(\.id), ["solidarity"])
        XCTAssertEqual(problems, [PackProblem(file: path, reason: "the packs directory cannot be read")])
    }

    func testMissingOrNoDirectoryMeansOnlyTheDefault() {
        // Given no directory, or one that does not exist
        for path in [nil, dir.appendingPathComponent("absent").path] {
            // When loading
            let (catalog, problems) = WorkbookCatalog.load(packsDirectory: path)
            // Then only the default pack is there and nothing is reported
            XCTAssertEqual(catalog.packs.map(\.id), ["solidarity"])
            XCTAssertEqual(problems, [])
        }
    }
}
