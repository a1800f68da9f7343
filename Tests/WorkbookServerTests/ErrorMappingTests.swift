import JSONRPC
import Workbook
import XCTest
@testable import WorkbookServer

/// The one domain-error → JSON-RPC mapping: codes from PROTOCOL.md, a stable `data.kind`, the ids involved.
final class ErrorMappingTests: XCTestCase {
    private func mapped(_ error: WorkbookError) throws -> (code: Int, data: [String: Any]) {
        let rpc = try XCTUnwrap(WorkbookErrorMapping.rpcError(for: error))
        let data = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(rpc.data ?? [])) as? [String: Any])
        return (rpc.code, data)
    }

    func testEveryCaseHasItsCodeAndKind() throws {
        let cases: [(WorkbookError, Int, String)] = [
            (.workbookNotFound(workbookId: "w"), 1001, "workbookNotFound"),
            (.promptNotFound(promptId: "p"), 1002, "promptNotFound"),
            (.passNotFound(passId: "x"), 1003, "passNotFound"),
            (.revisionConflict(promptId: "p", passId: "x", currentRevision: 2, current: nil), 1004, "revisionConflict"),
            (.answerTooLarge(promptId: "p", bytes: 10, limit: 5), 1005, "answerTooLarge"),
            (.packInvalid(file: "f", reason: "r"), 1006, "packInvalid"),
            (.passClosed(passId: "x"), 1007, "passClosed"),
            (.importInvalid(reason: "r"), 1008, "importInvalid"),
            (.readOnly(reason: "r"), 1009, "readOnly"),
            (.storageFailure(kind: .storageFull, reason: "r"), 1010, "storageFull"),
            (.storageFailure(kind: .storageBusy, reason: "r"), 1010, "storageBusy"),
            (.storageFailure(kind: .storageCorrupt, reason: "r"), 1010, "storageCorrupt"),
            (.storageFailure(kind: .storageIO, reason: "r"), 1010, "storageIO"),
            (.invalidArgument(field: "text", reason: "r"), -32602, "invalidParams"),
        ]
        for (error, code, kind) in cases {
            let (c, data) = try mapped(error)
            XCTAssertEqual(c, code, "\(error)")
            XCTAssertEqual(data["kind"] as? String, kind, "\(error)")
        }
    }

    func testAConflictCarriesTheCurrentAnswerOrAnExplicitNull() throws {
        let answer = Answer(promptId: "p", passId: "x", text: "t", status: .draft, revision: 2,
                            updatedAt: "2026-01-01T00:00:00.000Z", client: "c")
        let (_, withAnswer) = try mapped(.revisionConflict(promptId: "p", passId: "x", currentRevision: 2, current: answer))
        XCTAssertEqual(withAnswer["currentRevision"] as? Int, 2)
        XCTAssertEqual((withAnswer["current"] as? [String: Any])?["text"] as? String, "t")
        let (_, without) = try mapped(.revisionConflict(promptId: "p", passId: "x", currentRevision: 0, current: nil))
        XCTAssertTrue(without["current"] is NSNull, "current is an explicit null when there is no answer")
    }

    func testAFailedItemOfSaveManyNamesItsIndex() throws {
        let (code, data) = try mapped(.itemFailed(index: 3, error: .promptNotFound(promptId: "p")))
        XCTAssertEqual(code, 1002)
        XCTAssertEqual(data["index"] as? Int, 3)
        XCTAssertEqual(data["promptId"] as? String, "p")
    }

    func testErrorsThatAreNotTheDomainsAreLeftToTheDispatcher() {
        struct Other: Error {}
        XCTAssertNil(WorkbookErrorMapping.rpcError(for: Other()))
    }
}
