import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue #6, area 6. Socket modes, stale sockets and a ping from another uid are covered by
/// EndToEndTests/SocketSafetyTests; this adds writes from another uid, modes under umask 000,
/// deleted text on disk, overwrite and symlink refusals, and answer text in logs.
final class SecurityTests: XCTestCase {
    private let prompt = "what-is-solidarity.better-future"

    private func asNobody(_ args: [String], input: [UInt8]? = nil) throws -> CommandResult {
        guard getuid() == 0, let setpriv = Run.which("setpriv") else {
            if WorkbookBinary.isCI { XCTFail("CI runs as root with setpriv") }
            throw XCTSkip("needs root and setpriv")
        }
        return try Run.command(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", WorkbookBinary.path] + args,
                               input: input, environment: ["HOME": "/nonexistent", "XDG_RUNTIME_DIR": "", "WORKBOOK_SOCKET": "", "WORKBOOK_DATABASE": ""])
    }

    func testAnotherUIDCanNeitherWriteThroughALoosenedSocketNorOpenTheDatabase() throws {
        let dir = TempDir()
        chmod(dir.path, 0o755)
        let server = try SocketServer(dir: dir)
        let c = try Conversation(path: server.socketPath)
        XCTAssertNotNil(c.call("answers.save", #"{"promptId":"\#(prompt)","text":"private words"}"#)?["result"])
        // Given the socket directory and the socket loosened by hand
        chmod(dir.file("run"), 0o777)
        chmod(server.socketPath, 0o777)
        let before = try DatabaseFile.snapshot(server.databasePath)
        // When uid 65534 tries to save and to read through the socket
        let write = try asNobody(["call", "answers.save", #"{"promptId":"\#(prompt)","text":"written by someone else"}"#, "--socket", server.socketPath])
        let read = try asNobody(["call", "answers.get", #"{"promptId":"\#(prompt)"}"#, "--socket", server.socketPath])
        // Or to open the database file directly
        let direct = try asNobody(["call", "answers.get", #"{"promptId":"\#(prompt)"}"#, "--database", server.databasePath])
        // Then every attempt fails, nothing is revealed, and nothing changed
        for (name, r) in [("write", write), ("read", read), ("direct", direct)] {
            XCTAssertNotEqual(r.status, 0, name)
            XCTAssertFalse(r.out.contains("private words") || r.stderr.contains("private words"), "\(name) revealed the answer")
        }
        XCTAssertEqual(try DatabaseFile.snapshot(server.databasePath), before)
        XCTAssertTrue(server.stderr.contains("refused a connection from uid 65534"), server.stderr)
        XCTAssertEqual(fileMode(dir.file("db.sqlite")), 0o600)
        XCTAssertEqual(server.stop(), 0)
        report("security-other-uid: write, read and direct open refused; changed=0")
    }

    func testFilesArePrivateEvenUnderUmask000() throws {
        let dir = TempDir()
        let db = dir.file("data/wb.sqlite")
        // Given a server started with umask 000 on a database in a directory it creates
        let old = umask(0)  // inherited by the server process
        let started = Result { try SocketServer(dir: dir, database: db) }
        umask(old)
        let server = try started.get()
        let c = try Conversation(path: server.socketPath)
        XCTAssertNotNil(c.call("answers.save", #"{"promptId":"\#(prompt)","text":"private"}"#)?["result"])
        // Then the directories are 0700 and the database, WAL, shared memory and socket 0600
        XCTAssertEqual(fileMode(dir.file("data")), 0o700)
        XCTAssertEqual(fileMode(dir.file("run")), 0o700)
        for file in [db, db + "-wal", db + "-shm", server.socketPath] { XCTAssertEqual(fileMode(file), 0o600, file) }
        // And a backup and an export made with umask 000 are 0600 too
        let backup = try Run.command("/bin/sh", ["-c", #"umask 000; exec "$@""#, "sh", WorkbookBinary.path, "backup", dir.file("b.sqlite"), "--database", db])
        XCTAssertEqual(backup.status, 0, backup.stderr)
        XCTAssertEqual(fileMode(dir.file("b.sqlite")), 0o600)
        let export = try Run.command("/bin/sh", ["-c", #"umask 000; exec "$@""#, "sh", WorkbookBinary.path, "export", "--format", "json",
                                                 "-o", dir.file("e.json"), "--socket", server.socketPath])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(fileMode(dir.file("e.json")), 0o600)
        XCTAssertEqual(server.stop(), 0)
        report("security-modes: dirs 0700, db/wal/shm/socket/backup/export 0600 under umask 000")
    }

    func testDeletedAnswersLeaveNoTextInTheFiles() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let c = try Conversation(path: server.socketPath)
        // Given three markers, each saved with several revisions (in a live WAL database)
        let markers = ["qzxvanswer", "qzxvpass", "qzxverase"]
        XCTAssertNotNil(c.call("answers.save", #"{"promptId":"solidarity-means","text":"ordinary words"}"#)?["result"])
        for n in 1...3 { XCTAssertNotNil(c.call("answers.save", #"{"promptId":"\#(prompt)","text":"\#(markers[0]) take \#(n)"}"#)?["result"]) }
        let first = try XCTUnwrap((c.call("answers.get", #"{"promptId":"\#(prompt)"}"#)?["result"] as? JSONObject)?["passId"] as? String)
        let second = try XCTUnwrap((c.call("passes.start", #"{"workbookId":"solidarity"}"#)?["result"] as? JSONObject)?["id"] as? String)
        XCTAssertNotNil(c.call("answers.save", #"{"promptId":"\#(prompt)","passId":"\#(second)","text":"\#(markers[1]) in a pass"}"#)?["result"])
        XCTAssertNotNil(c.call("search", #"{"query":"\#(markers[0])"}"#)?["result"])
        XCTAssertFalse(databaseFilesContain(server.databasePath, markers[0]).isEmpty, "the marker should be on disk first")
        // When the answer, then the pass, then everything is deleted
        XCTAssertEqual((c.call("answers.delete", #"{"promptId":"\#(prompt)","passId":"\#(first)"}"#)?["result"] as? JSONObject)?["deleted"] as? Int, 3)
        XCTAssertEqual(databaseFilesContain(server.databasePath, markers[0]), [])
        XCTAssertEqual(databaseFilesContain(server.databasePath, "ordinary words").isEmpty, false)
        XCTAssertNotNil(c.call("passes.delete", #"{"passId":"\#(second)"}"#)?["result"])
        XCTAssertEqual(databaseFilesContain(server.databasePath, markers[1]), [])
        XCTAssertNotNil(c.call("answers.save", #"{"promptId":"\#(prompt)","text":"\#(markers[2]) before erase"}"#)?["result"])
        XCTAssertNotNil(c.call("data.erase", #"{"confirm":"erase all answers"}"#)?["result"])
        // Then no marker is left in the database, WAL or shared-memory file, nor in the log
        for marker in markers + ["ordinary words"] {
            XCTAssertEqual(databaseFilesContain(server.databasePath, marker), [], marker)
            XCTAssertFalse(server.stderr.contains(marker))
        }
        XCTAssertEqual(server.stop(), 0)
        for marker in markers { XCTAssertEqual(databaseFilesContain(server.databasePath, marker), [], "after exit: \(marker)") }
        report("security-delete: answer, pass and erase leave 0 bytes of text in db/wal/shm")
    }

    func testExportAndBackupRefuseToOverwriteAndNeverFollowSymlinks() throws {
        let dir = TempDir()
        chmod(dir.path, 0o755)
        let server = try SocketServer(dir: dir)
        XCTAssertNotNil(try Conversation(path: server.socketPath).call("answers.save", #"{"promptId":"\#(prompt)","text":"mine alone"}"#)?["result"])
        // Given another user's file, and links to it (and to a file that does not exist yet)
        let theirs = dir.file("theirs")
        try FileManager.default.createDirectory(atPath: theirs, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let secret = theirs + "/notes.txt"
        try Data("their notes".utf8).write(to: URL(fileURLWithPath: secret))
        chmod(secret, 0o644)
        chown(theirs, 65534, 65534)
        chown(secret, 65534, 65534)
        let link = dir.file("link"), dangling = dir.file("dangling")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: secret)
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: theirs + "/new.txt")
        let existing = dir.file("existing.md")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: existing))
        chmod(existing, 0o644)
        func export(_ path: String, force: Bool = false) throws -> CommandResult {
            try Run.workbook(["export", "--format", "markdown", "-o", path, "--socket", server.socketPath] + (force ? ["--force"] : []))
        }
        func backup(_ path: String, force: Bool = false) throws -> CommandResult {
            try Run.workbook(["backup", path, "--database", server.databasePath] + (force ? ["--force"] : []))
        }
        // When exporting or backing up onto each of them
        for (name, r) in [("export existing", try export(existing)), ("backup existing", try backup(existing)),
                          ("export link", try export(link, force: true)), ("backup link", try backup(link, force: true)),
                          ("export dangling", try export(dangling, force: true)), ("backup dangling", try backup(dangling, force: true))] {
            // Then each is refused with a message, and nothing is written anywhere
            XCTAssertNotEqual(r.status, 0, name)
            XCTAssertFalse(r.stderr.isEmpty, name)
        }
        XCTAssertEqual(try String(contentsOfFile: existing, encoding: .utf8), "keep me")
        XCTAssertEqual(try String(contentsOfFile: secret, encoding: .utf8), "their notes")
        XCTAssertFalse(FileManager.default.fileExists(atPath: theirs + "/new.txt"))
        // And with --force an existing file of ours is replaced, and becomes private
        XCTAssertEqual(try export(existing, force: true).status, 0)
        XCTAssertTrue(try String(contentsOfFile: existing, encoding: .utf8).contains("mine alone"))
        XCTAssertEqual(fileMode(existing), 0o600, "an overwritten export keeps world-readable modes")
        XCTAssertEqual(try backup(existing, force: true).status, 0)
        XCTAssertEqual(fileMode(existing), 0o600)
        // And a regular file that belongs to another user is never written into, even with --force
        let theirFile = dir.file("their-export.md")
        try Data("their file".utf8).write(to: URL(fileURLWithPath: theirFile))
        chown(theirFile, 65534, 65534)
        if getuid() == 0 {
            XCTAssertNotEqual(try export(theirFile, force: true).status, 0)
            XCTAssertEqual(try String(contentsOfFile: theirFile, encoding: .utf8), "their file")
        }
        XCTAssertEqual(server.stop(), 0)
        report("security-files: 6 overwrite/symlink attempts refused; --force replaces our own file as 0600")
    }

    func testLogsAtTheDefaultLevelHoldNoAnswerText() throws {
        let marker = "qzxvsecretreflection"
        let dir = TempDir()
        // Given a server at the default log level (info)
        let server = try SocketServer(dir: dir)
        let c = try Conversation(path: server.socketPath)
        // When the marker goes through saves, conflicts, errors, search, export, import and deletes
        XCTAssertNotNil(c.call("answers.save", #"{"promptId":"\#(prompt)","text":"\#(marker) one"}"#)?["result"])
        _ = c.call("answers.save", #"{"promptId":"\#(prompt)","text":"\#(marker) two","expectedRevision":0}"#)
        _ = c.call("answers.save", #"{"promptId":"\#(prompt)","text":"\#(marker)\u0000"}"#)
        _ = c.call("answers.save", #"{"promptId":"no.such.\#(marker)","text":"\#(marker)"}"#)
        _ = c.call("answers.save", #"{"promptId":"\#(prompt)","text":"\#(marker)\#(String(repeating: "x", count: 1 << 20))"}"#)
        _ = c.call("search", #"{"query":"\#(marker)"}"#)
        _ = c.call("search", #"{"query":"\"\#(marker)","syntax":"fts5"}"#)
        _ = c.call("export", #"{"format":"markdown"}"#)
        _ = c.call("import", #"{"document":{"format":"workbook-export","formatVersion":1,"passes":[{"id":"x","text":"\#(marker)"}]}}"#)
        _ = c.sendRaw(Array(#"{"jsonrpc":"2.0","id":1,"method":"answers.save","params":{"text":"\#(marker)"#.utf8) + [0xFF])
        _ = c.call("subscribe", #"{"since":0}"#)
        _ = c.call("answers.delete", #"{"promptId":"\#(prompt)"}"#)
        XCTAssertEqual(server.stop(), 0)
        // Then the log says things, but never the marker
        XCTAssertFalse(server.stderr.isEmpty)
        XCTAssertFalse(server.stderr.contains(marker), server.stderr)
        // And the same over stdio, where stderr is the only log
        let input = Frames.ndjson(request(1, "answers.save", #"{"promptId":"\#(prompt)","text":"\#(marker)"}"#))
            + Frames.ndjson(request(2, "answers.save", #"{"promptId":"\#(prompt)","text":"\#(marker) 2","expectedRevision":0}"#))
        let stdio = try Run.workbook(["serve", "--stdio", "--database", dir.file("stdio.sqlite")], input: input)
        XCTAssertEqual(stdio.status, 0)
        XCTAssertTrue(stdio.out.contains(marker))
        XCTAssertFalse(stdio.stderr.contains(marker), stdio.stderr)
        report("security-logs: 0 occurrences of answer text in default-level logs over 13 kinds of request")
    }
}
