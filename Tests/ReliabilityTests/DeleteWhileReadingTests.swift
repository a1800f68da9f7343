import Foundation
import GRDB
import TestSupport
import XCTest

/// Issue #6, area 6 with a fault: a reader in another process holds the WAL back while an answer is
/// deleted. The delete is committed, so it is reported done; the owed truncate happens at the next
/// save once the reader has gone, and the deleted text then leaves the files.
final class DeleteWhileReadingTests: XCTestCase {
    /// A read transaction on `path`, held open on its own thread until `end()`.
    private final class HeldRead: @unchecked Sendable {
        private let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        private let finished = DispatchSemaphore(value: 0)

        init(path: String) throws {
            let queue = try DatabaseFile.open(path)
            Thread { [self] in
                try? queue.read { db in
                    _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM answers")
                    started.signal()
                    release.wait()
                }
                try? queue.close()
                finished.signal()
            }.start()
            guard started.wait(timeout: .now() + 10) == .success else { throw CocoaError(.fileReadUnknown) }
        }

        func letGo() { release.signal() }

        func end() {
            release.signal()
            XCTAssertEqual(finished.wait(timeout: .now() + 10), .success, "the reader did not finish")
        }
    }

    func testADeleteHeldBackByAnotherProcessesReaderIsReportedDoneAndScrubbedAtTheNextSave() throws {
        // Given a server with a private answer, and this process reading the same file
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let c = try Conversation(path: server.socketPath)
        let secret = "qzxv held back words qzxv"
        XCTAssertNotNil(c.call("answers.save", #"{"promptId":"solidarity-means","text":"\#(secret)"}"#)?["result"])
        let reader = try HeldRead(path: server.databasePath)
        addTeardownBlock { reader.letGo() }
        // When the answer is deleted (the server waits its busy timeout twice for the reader)
        let reply = try XCTUnwrap(c.call("answers.delete", #"{"promptId":"solidarity-means"}"#))
        // Then the reply is success, the answer is gone, and the warning names the file but no text
        XCTAssertEqual((reply["result"] as? JSONObject)?["deleted"] as? Int, 1, "\(reply)")
        XCTAssertTrue(c.call("answers.get", #"{"promptId":"solidarity-means"}"#)?["result"] is NSNull)
        XCTAssertTrue(server.stderr.contains("warning") && server.stderr.contains(server.databasePath + "-wal"), server.stderr)
        XCTAssertFalse(server.stderr.contains("qzxv"), server.stderr)
        XCTAssertFalse(databaseFilesContain(server.databasePath, secret).isEmpty, "the reader holds the old pages")
        // When the reader goes away and the next answer is saved
        reader.end()
        XCTAssertNotNil(c.call("answers.save", #"{"promptId":"who-do-i-stand-with","text":"next"}"#)?["result"])
        // Then the deleted text is gone from every file
        XCTAssertEqual(databaseFilesContain(server.databasePath, secret), [])
        XCTAssertEqual(server.stop(), 0)
        report("delete-while-reading: delete reported done=1, warning without text, text gone after the next save")
    }
}
