import Foundation
import GRDB
import XCTest
@testable import Workbook

/// `progress.get` reuses a result only while nothing was committed: a commit of this store's or of
/// another process gives a fresh answer at the next call.
final class StoreProgressCacheTests: XCTestCase {
    private func fileStore() throws -> (WorkbookStore, String) {
        let path = try makeTempDir().appendingPathComponent("wb.sqlite").path
        return (try WorkbookStore.open(path: path, catalog: StoreFixtures.catalog), path)
    }

    private var oneConnection: StoreOptions {
        var options = StoreOptions()
        options.singleConnection = true
        return options
    }

    private func progress(_ store: WorkbookStore, passId: String? = nil) throws -> WorkbookProgress {
        try store.progressGet(ProgressGetParams(workbookId: "alpha", passId: passId))
    }

    func testARepeatedCallWithNothingCommittedIsServedFromTheCache() throws {
        // Given a file store that answered progress.get once
        let (store, _) = try fileStore()
        _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "one two", status: .final), client: "t")
        let first = try progress(store)
        let hits = try XCTUnwrap(store.progressCache).hits
        // When asked again with nothing committed in between
        let second = try progress(store)
        // Then the same result comes from the cache
        XCTAssertEqual(second, first)
        XCTAssertEqual(store.progressCache?.hits, hits + 1)
    }

    func testASaveThroughTheStoreIsSeenAtOnce() throws {
        // Given a cached result
        let (store, _) = try fileStore()
        _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "one two", status: .final), client: "t")
        _ = try progress(store)
        XCTAssertEqual(try progress(store).answered, 1)
        // When another answer is saved and one is skipped
        _ = try store.answersSave(AnswersSaveParams(promptId: "p2", text: "three four five", status: .final), client: "t")
        _ = try store.answersSkip(AnswersSkipParams(promptId: "p3"), client: "t")
        // Then the next call counts them
        let p = try progress(store)
        XCTAssertEqual([p.answered, p.skipped, p.words], [2, 1, 5])
        XCTAssertEqual(p.nextPromptId, "p4")
    }

    func testACommitByAnotherProcessIsSeenAtOnce() throws {
        // Given a cached result, and a second store on the same file standing for another process
        let (store, path) = try fileStore()
        _ = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "one", status: .draft), client: "t")
        XCTAssertEqual(try progress(store).drafts, 1)
        XCTAssertEqual(try progress(store).drafts, 1)
        let other = try WorkbookStore.open(path: path, catalog: StoreFixtures.catalog,
                                           options: oneConnection)
        // When that other connection finalizes the answer
        _ = try other.answersSave(AnswersSaveParams(promptId: "p1", text: "one", status: .final), client: "cli")
        // Then this store's next call sees it
        let p = try progress(store)
        XCTAssertEqual([p.answered, p.drafts], [1, 0])
    }

    func testANewPassIsSeenAndAnOlderPassKeepsItsOwnResult() throws {
        // Given a cached result for the newest pass
        let (store, _) = try fileStore()
        let first = try store.answersSave(AnswersSaveParams(promptId: "p1", text: "one", status: .final), client: "t").answer.passId
        XCTAssertEqual(try progress(store).passId, first)
        // When a new pass starts
        let second = try store.passesStart(PassesStartParams(workbookId: "alpha"), client: "t").id
        // Then the default call follows the new pass, and naming the old one still counts its answer
        XCTAssertEqual(try progress(store).passId, second)
        XCTAssertEqual(try progress(store).answered, 0)
        XCTAssertEqual(try progress(store, passId: first).answered, 1)
        XCTAssertEqual(try progress(store, passId: first).answered, 1)
    }

    func testAStoreOnOneConnectionHasNoCache() throws {
        // A one-shot call (one connection) and an in-memory store keep no cache.
        let path = try makeTempDir().appendingPathComponent("wb.sqlite").path
        let single = try WorkbookStore.open(path: path, catalog: StoreFixtures.catalog,
                                            options: oneConnection)
        XCTAssertNil(single.progressCache)
        XCTAssertNil(try makeStore().progressCache)
    }
}
