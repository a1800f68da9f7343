import Foundation
import XCTest
@testable import Workbook

final class StoreExportImportTests: XCTestCase {
    func testMarkdownInterleavesContentAndAnswers() throws {
        // Given a final, a draft and a skipped answer
        let store = try makeStore()
        let saved = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "My **answer**.", status: .final), client: "x")
        _ = try store.answersSave(AnswersSaveParams(promptId: "p3", text: "half"), client: "x")
        _ = try store.answersSkip(AnswersSkipParams(promptId: "p4"), client: "x")
        // When exporting markdown
        let result = try store.export(ExportParams(format: .markdown))
        // Then the document holds title, attribution, sections, context, prompts and answers in order
        guard case .markdown(let md) = result.content else { return XCTFail("expected markdown") }
        let pass = saved.answer.passId
        XCTAssertEqual(md, """
            # Alpha

            *Alpha Source*

            From *Tests*

            Pass \(pass), started \(saved.answer.updatedAt).

            ## First

            Context <one> & more.

            > What is solidarity to you?

            My **answer**.

            > Who do you stand with?

            *No answer yet.*

            ## Second

            > What does co-opting look like?

            half

            *(draft)*

            > What are your end goals?
            >
            > *Think *long* term.*

            *Skipped.*


            """)
    }

    func testJSONExportIsLosslessAndImportTwiceChangesNothing() throws {
        // Given a source database with two passes and a restore in the history
        let source = try makeStore()
        let first = try source.passesStart(PassesStartParams(workbookId: "alpha", title: "One"), client: "a")
        _ = try source.answersSave(AnswersSaveParams(promptId: "p1", text: "v1", passId: first.id), client: "a")
        _ = try source.answersSave(AnswersSaveParams(promptId: "p1", text: "v2", status: .final, passId: first.id), client: "b")
        _ = try source.answersRestore(AnswersRestoreParams(promptId: "p1", revision: 1, passId: first.id), client: "c")
        _ = try source.answersSave(AnswersSaveParams(promptId: "b1", text: "beta"), client: "a")
        let exported = try source.export(ExportParams(format: .json))
        guard case .json(let doc) = exported.content else { return XCTFail("expected json") }
        XCTAssertEqual(doc.databaseId, source.databaseId)
        XCTAssertEqual(doc.passes.map(\.revisions.count), [3, 1])
        XCTAssertEqual(doc.workbooks.map(\.id), ["alpha", "beta"])
        // When importing it into an empty database twice
        let target = try makeStore()
        let document = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(doc))
        let once = try target.importDocument(ImportParams(document: document), client: "imp")
        let changesAfterOnce = try count(target, "changes")
        let twice = try target.importDocument(ImportParams(document: document), client: "imp")
        // Then everything arrives once, the second import changes nothing
        XCTAssertEqual(once, ImportResult(imported: 4, skipped: 0))
        XCTAssertEqual(twice, ImportResult(imported: 0, skipped: 4))
        XCTAssertEqual(try count(target, "changes"), changesAfterOnce)
        XCTAssertEqual(try target.answersHistory(AnswersHistoryParams(promptId: "p1", passId: first.id)),
                       try source.answersHistory(AnswersHistoryParams(promptId: "p1", passId: first.id)))
        XCTAssertEqual(try target.answersGet(AnswersGetParams(promptId: "p1", passId: first.id)),
                       try source.answersGet(AnswersGetParams(promptId: "p1", passId: first.id)))
        XCTAssertEqual(try target.passesList(PassesListParams()), try source.passesList(PassesListParams()))
        XCTAssertEqual(try target.search(SearchParams(query: "beta")).hits.filter { $0.kind == .answer }.count, 1)
        guard case .json(let again) = try target.export(ExportParams(format: .json)).content else { return XCTFail() }
        XCTAssertEqual(again.passes, doc.passes)
        // And the change log says what arrived
        let types = try target.changesList(ChangesListParams()).changes.map(\.type)
        XCTAssertEqual(types, [.passStarted, .answerImported, .passStarted, .answerImported])
    }

    func testBrokenImportChangesNothingAndNamesThePath() throws {
        // Given an export with one bad time deep inside
        let source = try makeStore()
        _ = try source.answersSave(AnswersSaveParams(promptId: "p1", text: "a"), client: "x")
        _ = try source.answersSave(AnswersSaveParams(promptId: "p2", text: "b"), client: "x")
        guard case .json(var doc) = try source.export(ExportParams(format: .json)).content else { return XCTFail() }
        doc.passes[0].revisions[1].at = "yesterday"
        let target = try makeStore()
        let bad = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(doc))
        // Then the import fails with the path and stores nothing
        XCTAssertEqual(error { () throws(WorkbookError) in try target.importDocument(ImportParams(document: bad), client: "x") },
                       .importInvalid(reason: "passes[0].revisions[1].at: not an RFC 3339 time"))
        XCTAssertEqual(error { () throws(WorkbookError) in
            try target.importDocument(ImportParams(document: .object(["format": .string("workbook-export")])), client: "x")
        }, .importInvalid(reason: "formatVersion: missing"))
        XCTAssertEqual(try [count(target, "passes"), count(target, "revisions"), count(target, "changes")], [0, 0, 0])
    }

    func testImportKeepsAnswersToPromptsThatLeftThePack() throws {
        // Given an export holding an answer to a prompt id the pack no longer has
        let source = try makeStore()
        _ = try source.answersSave(AnswersSaveParams(promptId: "p1", text: "kept"), client: "x")
        guard case .json(var doc) = try source.export(ExportParams(format: .json)).content else { return XCTFail() }
        doc.passes[0].revisions[0].promptId = "gone"
        let target = try makeStore()
        let value = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(doc))
        // When importing it
        XCTAssertEqual(try target.importDocument(ImportParams(document: value), client: "x").imported, 1)
        // Then history and export still show it, while progress ignores it
        let passId = doc.passes[0].id
        XCTAssertEqual(try target.answersHistory(AnswersHistoryParams(promptId: "gone", passId: passId)).map(\.text), ["kept"])
        XCTAssertEqual(try target.progressGet(ProgressGetParams()).drafts, 0)
        guard case .json(let out) = try target.export(ExportParams(format: .json)).content else { return XCTFail() }
        XCTAssertEqual(out.passes[0].revisions.map(\.promptId), ["gone"])
    }
}
