import Foundation
import TestSupport
import XCTest

/// `workbook progress` in its plain form skips ArgumentParser (FastPath.swift); the `--name=value`
/// spelling of the same call goes through ArgumentParser. Both must print the same bytes and exit
/// with the same code, on the database directly and through a server.
final class ProgressFastPathTests: XCTestCase {
    /// Runs `progress` with `options` both ways and asserts they agree; returns the fast run.
    @discardableResult
    private func bothWays(_ options: [(String, String)], file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
        let fast = try Run.workbook(["progress"] + options.flatMap { [$0.0, $0.1] })
        let parsed = try Run.workbook(["progress"] + options.map { "\($0.0)=\($0.1)" })
        XCTAssertEqual(fast.status, parsed.status, "exit codes differ: \(fast.stderr) / \(parsed.stderr)", file: file, line: line)
        XCTAssertEqual(fast.out, parsed.out, file: file, line: line)
        XCTAssertEqual(fast.stderr, parsed.stderr, file: file, line: line)
        return fast
    }

    func testThePlainFormPrintsWhatArgumentParserPrints() throws {
        // Given a database with one final answer and one draft
        let dir = TempDir()
        let db = dir.file("db.sqlite")
        for (prompt, status) in [("solidarity-means", "final"), ("who-do-i-stand-with", "draft")] {
            let params = #"{"promptId":"\#(prompt)","text":"a few words here","status":"\#(status)"}"#
            XCTAssertEqual(try Run.workbook(["call", "answers.save", params, "--database", db]).status, 0)
        }
        // When progress is asked for in every format, on the file and through a server, then both paths agree
        let server = try SocketServer(dir: dir, database: db)
        for format in ["text", "json", "prompt"] {
            try bothWays([("--format", format), ("--database", db)])
            try bothWays([("--format", format), ("--socket", server.socketPath), ("--workbook", "solidarity")])
        }
        XCTAssertEqual(try bothWays([("--format", "prompt"), ("--database", db)]).out, "solidarity 1/22\n")
        // And errors agree too: an unknown workbook (3), a missing database (1), an unreachable socket (69)
        XCTAssertEqual(try bothWays([("--workbook", "nope"), ("--database", db)]).status, 3)
        XCTAssertEqual(try bothWays([("--database", dir.file("missing.sqlite"))]).status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("missing.sqlite")))
        XCTAssertEqual(try bothWays([("--socket", dir.file("nothing.sock"))]).status, 69)
        XCTAssertEqual(server.stop(), 0)
    }

    func testAnythingElseIsLeftToArgumentParser() throws {
        // Given forms the fast path does not take, then ArgumentParser answers with its usual messages
        let badFormat = try Run.workbook(["progress", "--format", "xml"])
        XCTAssertEqual(badFormat.status, 64)
        XCTAssertTrue(badFormat.stderr.contains("xml"), badFormat.stderr)
        let help = try Run.workbook(["progress", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.out.contains("USAGE: workbook progress"), help.out)
        let twice = try Run.workbook(["progress", "--format", "json", "--format"])
        XCTAssertEqual(twice.status, 64, twice.stderr)
        let unknown = try Run.workbook(["progress", "--colour", "red"])
        XCTAssertEqual(unknown.status, 64, unknown.stderr)
    }
}
