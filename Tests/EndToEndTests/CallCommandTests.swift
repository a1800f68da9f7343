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
}
