import Foundation
import TestSupport
import XCTest

/// `workbook call` and `workbook openrpc` from the shell's point of view: output and exit codes.
final class CallCommandTests: XCTestCase {
    func testCallThroughTheSocketPrintsTheResult() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let result = try Run.workbook(["call", "server.ping", "--socket", server.socketPath])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.out, "{}\n")
        XCTAssertEqual(server.stop(), 0)
    }

    func testCallOnTheDatabaseDirectly() throws {
        let dir = TempDir()
        let result = try Run.workbook(["call", "server.info", "--database", dir.file("db.sqlite")])
        XCTAssertEqual(result.status, 0, result.stderr)
        let info = JSONMatch.parse(result.stdout) as? [String: Any]
        XCTAssertEqual(info?["name"] as? String, "workbook")
        XCTAssertEqual(info?["database"] as? String, dir.file("db.sqlite"))
    }

    func testParamsFromStdin() throws {
        let dir = TempDir()
        let result = try Run.workbook(["call", "server.ping", "-", "--database", dir.file("db.sqlite")], input: Array("{}".utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.out, "{}\n")
    }

    func testPrettyPrintedParamsFromStdinGoThroughTheSocket() throws {
        // Given params spread over several lines, with an escaped line break inside the text
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let params = "{\n  \"promptId\": \"solidarity-means\",\r\n  \"text\": \"one\\ntwo\"\n}\n"
        // When they are sent through the socket (one NDJSON line per message)
        let result = try Run.workbook(["call", "answers.save", "-", "--socket", server.socketPath], input: Array(params.utf8))
        // Then the save arrives whole, with the text's own line break kept
        XCTAssertEqual(result.status, 0, result.stderr)
        let answer = (JSONMatch.parse(result.stdout) as? [String: Any])?["answer"] as? [String: Any]
        XCTAssertEqual(answer?["text"] as? String, "one\ntwo")
        XCTAssertEqual(server.stop(), 0)
    }

    func testErrorsGoToStderrWithTheirExitCode() throws {
        let dir = TempDir()
        let unknown = try Run.workbook(["call", "no.such", "--database", dir.file("db.sqlite")])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.out, "")
        XCTAssertTrue(JSONMatch.matches(actual: Array(unknown.stderr.utf8), expected: #"{"code":-32601,"message":"Method not found: no.such","data":{"kind":"methodNotFound","method":"no.such"}}"#), unknown.stderr)
        let badParams = try Run.workbook(["call", "server.ping", "[1", "--database", dir.file("db.sqlite")])
        XCTAssertEqual(badParams.status, 1)
        XCTAssertTrue(badParams.stderr.contains("-32700"), badParams.stderr)
    }

    func testUnreachableNamedSocketExits69() throws {
        let dir = TempDir()
        let result = try Run.workbook(["call", "server.ping", "--socket", dir.file("nothing.sock")])
        XCTAssertEqual(result.status, 69)
        XCTAssertTrue(result.stderr.contains("unreachable"), result.stderr)
    }

    func testUsageErrorExits64() throws {
        let result = try Run.workbook(["call"])
        XCTAssertEqual(result.status, 64)
    }

    func testOpenRPCPrintsTheCommittedDocument() throws {
        let result = try Run.workbook(["openrpc"])
        XCTAssertEqual(result.status, 0)
        let committed = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../schema/openrpc.json").standardized)
        XCTAssertEqual(result.out.trimmingCharacters(in: .newlines), String(decoding: committed, as: UTF8.self).trimmingCharacters(in: .newlines))
    }

    func testStatusTellsWhetherAServerRunsOnWhichDatabaseAndHowManyClients() throws {
        let dir = TempDir()
        let none = try Run.workbook(["status", "--socket", dir.file("none.sock")])
        XCTAssertEqual(none.status, 69)
        XCTAssertEqual(none.out, "no server on \(dir.file("none.sock"))\n")
        let server = try SocketServer(dir: dir)
        let other = try RawSocket(path: server.socketPath)
        other.send(Frames.ndjson(Array(#"{"jsonrpc":"2.0","id":1,"method":"server.ping"}"#.utf8)))
        XCTAssertNotNil(other.readMessage(headers: false))
        let status = try Run.workbook(["status", "--socket", server.socketPath])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertEqual(status.out, "server on \(server.socketPath) (version 0.1.0), database \(server.databasePath), 2 open connections (this one included)\n")
        XCTAssertEqual(server.stop(), 0)
    }

    func testVersion() throws {
        let result = try Run.workbook(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.out, "0.1.0\n")
    }

    // MARK: answer, export, import, and commands that only read

    private func call(_ method: String, _ params: String, _ endpoint: [String]) throws -> CommandResult {
        let result = try Run.workbook(["call", method, "-"] + endpoint, input: Array(params.utf8))
        XCTAssertEqual(result.status, 0, "\(method): \(result.stderr)")
        return result
    }

    func testAnswerWithoutAStatusFlagKeepsAFinalAnswerFinal() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let endpoint = ["--socket", server.socketPath]
        func answer(_ text: String, _ flags: [String] = []) throws -> CommandResult {
            try Run.workbook(["answer", "solidarity-means", "-f", "-"] + flags + endpoint, input: Array(text.utf8))
        }
        // Given a new answer without a flag: a draft
        XCTAssertEqual(try answer("First thoughts.").out, "saved solidarity-means (draft, revision 1)\n")
        // When it is made final, then edited without a flag
        XCTAssertEqual(try answer("Showing up.", ["--final"]).out, "saved solidarity-means (final, revision 2)\n")
        let edited = try answer("Showing up, again and again.")
        // Then the edit keeps it final
        XCTAssertEqual(edited.status, 0, edited.stderr)
        XCTAssertEqual(edited.out, "saved solidarity-means (final, revision 3)\n")
        let stored = JSONMatch.parse(try call("answers.get", #"{"promptId":"solidarity-means"}"#, endpoint).stdout) as? [String: Any]
        XCTAssertEqual(stored?["status"] as? String, "final")
        XCTAssertEqual(stored?["text"] as? String, "Showing up, again and again.")
        // And --draft demotes it on purpose; both flags at once are a usage error that saves nothing
        XCTAssertEqual(try answer("Not sure any more.", ["--draft"]).out, "saved solidarity-means (draft, revision 4)\n")
        let both = try answer("Both.", ["--final", "--draft"])
        XCTAssertEqual(both.status, 64, both.stderr)
        let history = JSONMatch.parse(try call("answers.history", #"{"promptId":"solidarity-means"}"#, endpoint).stdout) as? [Any]
        XCTAssertEqual(history?.count, 4)
        XCTAssertEqual(server.stop(), 0)
    }

    func testExportJSONImportsIntoAnotherDatabaseAndTwiceChangesNothing() throws {
        // Given a database with a final answer and a draft made final (3 revisions)
        let dir = TempDir()
        let a = ["--database", dir.file("a.sqlite")], b = ["--database", dir.file("b.sqlite")]
        _ = try call("answers.save", #"{"promptId":"who-do-i-stand-with","text":"My neighbours.","status":"final"}"#, a)
        _ = try call("answers.save", #"{"promptId":"solidarity-means","text":"Showing up."}"#, a)
        _ = try call("answers.save", #"{"promptId":"solidarity-means","text":"Showing up, again.","status":"final"}"#, a)
        // When it is exported to a file and imported into another database
        let file = dir.file("export.json")
        let export = try Run.workbook(["export", "--format", "json", "-o", file] + a)
        XCTAssertEqual(export.status, 0, export.stderr)
        let first = try Run.workbook(["import", file] + b)
        // Then every revision arrived and both databases hold the same answers and history
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.out, "imported 3, skipped 0\n")
        let list = #"{"workbookId":"solidarity"}"#, history = #"{"promptId":"solidarity-means"}"#
        XCTAssertEqual(try call("answers.list", list, b).out, try call("answers.list", list, a).out)
        XCTAssertEqual(try call("answers.history", history, b).out, try call("answers.history", history, a).out)
        // And importing the same file again changes nothing
        let changes = try call("changes.list", "{}", b).out, answers = try call("answers.list", list, b).out
        let second = try Run.workbook(["import", file] + b)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(second.out, "imported 0, skipped 3\n")
        XCTAssertEqual(try call("changes.list", "{}", b).out, changes)
        XCTAssertEqual(try call("answers.list", list, b).out, answers)
    }

    func testAnImportLargerThanTheMessageLimitWorksWhileAServerRuns() throws {
        // Given an export over 4 MiB (five answers of 880 KB, each under the 1 MiB answer limit)
        let dir = TempDir()
        let source = ["--database", dir.file("source.sqlite")]
        let prompts = ["who-do-i-stand-with", "solidarity-means", "solidarity-means.motivation",
                       "what-is-solidarity.erased", "what-is-solidarity.seeking-out"]
        for (n, prompt) in prompts.enumerated() {
            let text = "answer \(n): " + String(repeating: "solidarity ", count: 80_000)
            _ = try call("answers.save", #"{"promptId":"\#(prompt)","text":"\#(text)"}"#, source)
        }
        let file = dir.file("big.json")
        XCTAssertEqual(try Run.workbook(["export", "--format", "json", "-o", file] + source).status, 0)
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        XCTAssertGreaterThan(size, 4 << 20)
        // And a server on another database, which cannot take such a document as one message
        let server = try SocketServer(dir: dir)
        let endpoint = ["--socket", server.socketPath]
        let document = try String(contentsOfFile: file, encoding: .utf8)
        let refused = try Run.workbook(["call", "import", "-"] + endpoint, input: Array(#"{"document":\#(document)}"#.utf8))
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("maxMessageBytes"), refused.stderr)
        // When `workbook import` is given the file while the server runs
        let imported = try Run.workbook(["import", file] + endpoint)
        // Then it is imported, and the server serves every answer byte for byte
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertEqual(imported.out, "imported 5, skipped 0\n")
        for (n, prompt) in prompts.enumerated() {
            let answer = JSONMatch.parse(try call("answers.get", #"{"promptId":"\#(prompt)"}"#, endpoint).stdout) as? [String: Any]
            let text = "answer \(n): " + String(repeating: "solidarity ", count: 80_000)
            XCTAssertEqual((answer?["text"] as? String).map { Array($0.utf8) }, Array(text.utf8), prompt)
        }
        let progress = JSONMatch.parse(try call("progress.get", "{}", endpoint).stdout) as? [String: Any]
        XCTAssertEqual(progress?["drafts"] as? Int, 5)
        XCTAssertEqual(server.stop(), 0)
    }

    func testCommandsThatOnlyReadRefuseADatabaseThatDoesNotExist() throws {
        // Given a --database path with a typo
        let dir = TempDir()
        let typo = dir.file("typo.sqlite")
        for args in [["backup", dir.file("backup.sqlite")], ["progress"], ["next"], ["export", "--format", "json"]] {
            // When a command that only reads is pointed at it
            let result = try Run.workbook(args + ["--database", typo])
            // Then it fails with exit 1 and a clear message, and creates nothing
            XCTAssertEqual(result.status, 1, "\(args[0]): \(result.stderr)")
            XCTAssertEqual(result.stderr, "workbook: no database at \(typo) (nothing was created; check --database)\n", args[0])
            XCTAssertEqual(result.out, "", args[0])
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], args[0])
        }
        // While a command that writes may create it
        let saved = try Run.workbook(["answer", "solidarity-means", "-f", "-", "--database", typo], input: Array("New.".utf8))
        XCTAssertEqual(saved.status, 0, saved.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: typo))
    }
}
