import XCTest
@testable import Workbook

/// `schema/workbook-pack.schema.json` and `PackValidator` give the same verdicts (checked with Python jsonschema).
final class ContentSchemaTests: XCTestCase {
    /// Validates each file against the schema; prints one "valid"/"invalid: message" line per file.
    static let script = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1], encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        for path in sys.argv[2:]:
            errors = list(validator.iter_errors(json.load(open(path, encoding="utf-8"))))
            print("valid" if not errors else "invalid: " + errors[0].message.replace("\\n", " "))
        """

    var schemaPath: String { repoRoot().appendingPathComponent("schema/workbook-pack.schema.json").path }

    /// Schema verdicts (true = valid) for documents, in order, via one python3 run.
    func schemaVerdicts(_ documents: [String]) throws -> [Bool] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        for (n, document) in documents.enumerated() {
            let url = dir.appendingPathComponent("\(n).json")
            try Data(document.utf8).write(to: url)
            paths.append(url.path)
        }
        let run = try runPython(Self.script, args: [schemaPath] + paths)
        XCTAssertEqual(run.status, 0, run.err)
        let lines = run.out.split(separator: "\n")
        XCTAssertEqual(lines.count, documents.count, run.out + run.err)
        return lines.map { $0 == "valid" }
    }

    func swiftVerdict(_ document: String) -> Bool {
        (try? PackValidator.validate(Data(document.utf8), file: "t.json")) != nil
    }

    func testDefaultPackIsValidAgainstTheSchema() throws {
        // Given the embedded default pack, byte for byte
        let document = String(decoding: PackageResources.solidarity_json, as: UTF8.self)
        // When the schema checks it
        let verdicts = try schemaVerdicts([document, PackFixtures.valid()])
        // Then it (and the small fixture pack) is valid
        XCTAssertEqual(verdicts, [true, true])
        XCTAssertTrue(swiftVerdict(document))
    }

    func testSchemaAndValidatorRejectTheSameInvalidPacks() throws {
        // Given packs that break one schema rule each
        let cases = PackFixtures.invalidForBoth
        // When both the schema and the Swift validator judge them
        let schema = try schemaVerdicts(cases.map(\.json))
        let swift = cases.map { swiftVerdict($0.json) }
        // Then both reject every one of them
        for (n, item) in cases.enumerated() {
            XCTAssertFalse(schema[n], "schema accepted: \(item.name)")
            XCTAssertFalse(swift[n], "PackValidator accepted: \(item.name)")
        }
    }

    func testSchemaIsWellFormedJSONNamingEveryPackItemField() throws {
        // Given the schema file
        let data = try Data(contentsOf: URL(fileURLWithPath: schemaPath))
        // When we read the item properties it declares
        let schema = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let defs = try XCTUnwrap(schema["$defs"] as? [String: Any])
        let item = try XCTUnwrap(defs["item"] as? [String: Any])
        let properties = try XCTUnwrap(item["properties"] as? [String: Any])
        // Then they are exactly the fields of PackItem
        XCTAssertEqual(Set(properties.keys),
                       ["id", "kind", "title", "text", "guidance", "items", "leadPromptId", "contextIds"])
        XCTAssertEqual(item["additionalProperties"] as? Bool, false)
    }
}
