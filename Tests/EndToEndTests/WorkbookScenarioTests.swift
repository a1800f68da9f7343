import Foundation
import TestSupport
import XCTest

/// A person's session end to end over the real socket, a restart, two server processes on one
/// file, and the command line through the socket and on the database giving the same answers.
final class WorkbookScenarioTests: XCTestCase {
    private final class Client {
        let socket: RawSocket
        var nextID = 1
        init(_ path: String) throws { socket = try RawSocket(path: path) }

        /// Sends one request and returns its `result` (or fails the test with the error).
        func call(_ method: String, _ params: String = "{}", file: StaticString = #filePath, line: UInt = #line) -> Any? {
            let id = nextID
            nextID += 1
            socket.send(Frames.ndjson(Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#.utf8)))
            while let body = socket.readMessage(headers: false) {
                guard let reply = JSONMatch.parse(body) as? [String: Any], reply["id"] as? Int == id else { continue }
                if let error = reply["error"] { XCTFail("\(method): \(error)", file: file, line: line) }
                return reply["result"]
            }
            XCTFail("\(method): connection closed", file: file, line: line)
            return nil
        }

        func progress() -> [String: Any] { call("progress.get") as? [String: Any] ?? [:] }
    }

    private func counts(_ p: [String: Any]) -> [Int] {
        ["answered", "drafts", "skipped", "remaining", "percent", "words"].map { p[$0] as? Int ?? -1 }
    }

    func testSaveDraftsFinalsAndSkipsWithExactProgressThenRestart() throws {
        let dir = TempDir()
        var server = try SocketServer(dir: dir)
        var client = try Client(server.socketPath)
        // Given a fresh database: nothing answered, no pass
        XCTAssertEqual(counts(client.progress()), [0, 0, 0, 22, 0, 0])
        XCTAssertTrue(client.progress()["passId"] is NSNull, "reads never create a pass")
        // When a draft is saved
        _ = client.call("answers.save", #"{"promptId":"who-do-i-stand-with","text":"My family, my neighbours.","status":"draft"}"#)
        XCTAssertEqual(counts(client.progress()), [0, 1, 0, 22, 0, 4])
        // And made final
        _ = client.call("answers.save", #"{"promptId":"who-do-i-stand-with","text":"My family, my neighbours.","status":"final","expectedRevision":1}"#)
        XCTAssertEqual(counts(client.progress()), [1, 0, 0, 21, 4, 4])
        // And one more final, one skip
        _ = client.call("answers.save", #"{"promptId":"solidarity-means","text":"Showing up, again and again.","status":"final"}"#)
        _ = client.call("answers.skip", #"{"promptId":"what-is-solidarity.erased","reason":"not today"}"#)
        let before = client.progress()
        XCTAssertEqual(counts(before), [2, 0, 1, 19, 9, 9])
        XCTAssertEqual(client.call("prompts.next", #"{"after":"what-is-solidarity.better-future"}"#).flatMap { (($0 as? [String: Any])?["prompt"] as? [String: Any])?["id"] as? String },
                       "what-is-solidarity.seeking-out", "the skipped prompt is passed over")
        // When the server restarts on the same file
        XCTAssertEqual(server.stop(), 0)
        server = try SocketServer(dir: dir)
        client = try Client(server.socketPath)
        // Then everything is still there
        let after = client.progress()
        XCTAssertEqual(counts(after), counts(before))
        XCTAssertEqual(after["passId"] as? String, before["passId"] as? String)
        let answer = client.call("answers.get", #"{"promptId":"who-do-i-stand-with"}"#) as? [String: Any]
        XCTAssertEqual(answer?["text"] as? String, "My family, my neighbours.")
        XCTAssertEqual(answer?["revision"] as? Int, 2)
        let history = client.call("answers.history", #"{"promptId":"who-do-i-stand-with"}"#) as? [[String: Any]]
        XCTAssertEqual(history?.count, 2)
        // This connection never sent `initialize`, so its revisions name the client "unknown"
        XCTAssertEqual(history?.map { $0["client"] as? String }, ["unknown", "unknown"])
        XCTAssertEqual(answer?["client"] as? String, "unknown")
        XCTAssertEqual(server.stop(), 0)
    }

    func testTwoServerProcessesOnOneFileSavingAtOnceLoseNothing() throws {
        let dir = TempDir()
        let a = try SocketServer(dir: dir, socket: dir.file("run/a.sock"))
        let b = try SocketServer(dir: dir, socket: dir.file("run/b.sock"))
        let setup = try Client(a.socketPath)
        _ = setup.call("passes.start", #"{"workbookId":"solidarity"}"#)
        // When both processes save 150 times to the same prompt at the same time
        let group = DispatchGroup()
        let errors = ErrorLog()
        for (server, tag) in [(a, "a"), (b, "b")] {
            group.enter()
            Thread {
                defer { group.leave() }
                guard let socket = try? RawSocket(path: server.socketPath) else { return }
                var batch: [UInt8] = []
                for n in 0..<150 {
                    batch += Frames.ndjson(Array(#"{"jsonrpc":"2.0","id":\#(n),"method":"answers.save","params":{"promptId":"solidarity-means.motivation","text":"\#(tag) \#(n)"}}"#.utf8))
                }
                socket.send(batch)
                for _ in 0..<150 {
                    guard let body = socket.readMessage(headers: false) else { break }
                    if String(decoding: body, as: UTF8.self).contains("\"error\"") {
                        errors.append(String(decoding: body, as: UTF8.self))
                    }
                }
            }.start()
        }
        group.wait()
        // Then every acknowledged save is a revision, numbered without gaps
        XCTAssertEqual(errors.all, [])
        let history = setup.call("answers.history", #"{"promptId":"solidarity-means.motivation"}"#) as? [[String: Any]] ?? []
        XCTAssertEqual(history.count, 300)
        XCTAssertEqual(history.compactMap { $0["revision"] as? Int }, Array(1...300))
        XCTAssertEqual(Set(history.compactMap { $0["text"] as? String }).count, 300)
        XCTAssertEqual(a.stop(), 0)
        XCTAssertEqual(b.stop(), 0)
    }

    func testTheCommandLineGivesTheSameResultsThroughTheSocketAndOnTheDatabase() throws {
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let save = try Run.workbook(["answer", "who-do-i-stand-with", "-f", "-", "--final", "--socket", server.socketPath],
                                    input: Array("Everyone who is kept out.".utf8))
        XCTAssertEqual(save.status, 0, save.stderr)
        for args in [["progress", "--format", "json"], ["progress", "--format", "prompt"], ["progress"], ["next"],
                     ["call", "answers.list"], ["call", "workbooks.list"]] {
            let viaSocket = try Run.workbook(args + ["--socket", server.socketPath])
            let direct = try Run.workbook(args + ["--database", server.databasePath])
            XCTAssertEqual(viaSocket.status, 0, viaSocket.stderr)
            XCTAssertEqual(viaSocket.out, direct.out, "workbook \(args.joined(separator: " "))")
        }
        let prompt = try Run.workbook(["progress", "--format", "prompt", "--socket", server.socketPath])
        XCTAssertEqual(prompt.out, "solidarity 1/22\n")
        // The same answer again, from a file, either way: the same reply, and no new revision
        let file = dir.file("answer.txt")
        try "Everyone who is kept out.".write(toFile: file, atomically: true, encoding: .utf8)
        for endpoint in [["--socket", server.socketPath], ["--database", server.databasePath]] {
            let again = try Run.workbook(["answer", "who-do-i-stand-with", "-f", file] + endpoint)
            XCTAssertEqual(again.status, 0, again.stderr)
            XCTAssertEqual(again.out, "saved who-do-i-stand-with (final, revision 1)\n", "answer \(endpoint[0])")
        }
        // Exports agree (the JSON export differs only in when it was made)
        for format in ["markdown", "json"] {
            let viaSocket = try Run.workbook(["export", "--format", format, "--socket", server.socketPath])
            let direct = try Run.workbook(["export", "--format", format, "--database", server.databasePath])
            XCTAssertEqual(viaSocket.status, 0, viaSocket.stderr)
            XCTAssertEqual(direct.status, 0, direct.stderr)
            XCTAssertTrue(viaSocket.out.contains("Everyone who is kept out."), viaSocket.out)
            if format == "markdown" { XCTAssertEqual(viaSocket.out, direct.out); continue }
            var a = JSONMatch.parse(viaSocket.stdout) as? [String: Any], b = JSONMatch.parse(direct.stdout) as? [String: Any]
            XCTAssertNotNil(a?.removeValue(forKey: "exportedAt"))
            XCTAssertNotNil(b?.removeValue(forKey: "exportedAt"))
            XCTAssertEqual(a.map { NSDictionary(dictionary: $0) }, b.map { NSDictionary(dictionary: $0) })
        }
        // Importing the database's own export changes nothing either way
        let export = dir.file("export.json")
        XCTAssertEqual(try Run.workbook(["export", "--format", "json", "-o", export, "--socket", server.socketPath]).status, 0)
        let before = try Run.workbook(["call", "answers.history", #"{"promptId":"who-do-i-stand-with"}"#, "--socket", server.socketPath])
        for endpoint in [["--socket", server.socketPath], ["--database", server.databasePath]] {
            let imported = try Run.workbook(["import", export] + endpoint)
            XCTAssertEqual(imported.status, 0, imported.stderr)
            XCTAssertEqual(imported.out, "imported 0, skipped 1\n", "import \(endpoint[0])")
        }
        let after = try Run.workbook(["call", "answers.history", #"{"promptId":"who-do-i-stand-with"}"#, "--socket", server.socketPath])
        XCTAssertEqual(after.out, before.out)
        XCTAssertEqual(server.stop(), 0)
    }

    func testExtraPacksLoadFromADirectoryAndABrokenOneIsReportedAndSkipped() throws {
        let dir = TempDir()
        let packs = dir.file("packs")
        try FileManager.default.createDirectory(atPath: packs, withIntermediateDirectories: true)
        let pack = #"{"id":"gratitude","version":"1.0.0","title":"Gratitude","summary":"A short one.","language":"en","items":[{"id":"gratitude.today","kind":"section","title":"Today","text":"","items":[{"id":"gratitude.today.one","kind":"prompt","text":"What went well today?"}]}]}"#
        try pack.write(toFile: packs + "/gratitude.json", atomically: true, encoding: .utf8)
        try "{ not json".write(toFile: packs + "/broken.json", atomically: true, encoding: .utf8)
        // The validator agrees with the loader.
        XCTAssertEqual(try Run.workbook(["packs", "validate", packs + "/gratitude.json"]).status, 0)
        let broken = try Run.workbook(["packs", "validate", packs + "/broken.json"])
        XCTAssertNotEqual(broken.status, 0)
        // The server starts, names the broken file on stderr, and serves both workbooks.
        let server = try SocketServer(dir: dir, extra: ["--packs", packs])
        XCTAssertTrue(server.stderr.contains("broken.json"), server.stderr)
        let client = try Client(server.socketPath)
        let ids = (client.call("workbooks.list") as? [[String: Any]])?.compactMap { $0["id"] as? String }
        XCTAssertEqual(ids, ["solidarity", "gratitude"])
        _ = client.call("answers.save", #"{"promptId":"gratitude.today.one","text":"The walk."}"#)
        let progress = client.call("progress.get", #"{"workbookId":"gratitude"}"#) as? [String: Any]
        XCTAssertEqual(progress?["total"] as? Int, 1)
        XCTAssertEqual(progress?["drafts"] as? Int, 1)
        XCTAssertEqual(server.stop(), 0)
    }

    func testAnswerInTheEditorSavesAndAConflictOverwritesNothing() throws {
        let dir = TempDir()
        let db = dir.file("db.sqlite")
        // An "editor" that appends a line below the marker.
        let editor = dir.file("editor.sh")
        try "#!/bin/sh\nprintf 'Written in the editor.' >> \"$1\"\n".write(toFile: editor, atomically: true, encoding: .utf8)
        chmod(editor, 0o755)
        let first = try Run.workbook(["answer", "solidarity-means", "--database", db], environment: ["EDITOR": editor, "VISUAL": ""])
        XCTAssertEqual(first.status, 0, first.stderr)
        let stored = try Run.workbook(["call", "answers.get", #"{"promptId":"solidarity-means"}"#, "--database", db])
        XCTAssertEqual((JSONMatch.parse(stored.stdout) as? [String: Any])?["text"] as? String, "Written in the editor.")
        // An editor session during which someone else saves: exit 4, their text stays.
        let racing = dir.file("racing.sh")
        try """
            #!/bin/sh
            "\(WorkbookBinary.path)" call answers.save '{"promptId":"solidarity-means","text":"Saved elsewhere."}' --database "\(db)" >/dev/null
            printf ' And more.' >> "$1"
            """.write(toFile: racing, atomically: true, encoding: .utf8)
        chmod(racing, 0o755)
        let conflict = try Run.workbook(["answer", "solidarity-means", "--database", db], environment: ["EDITOR": racing, "VISUAL": ""])
        XCTAssertEqual(conflict.status, 4, conflict.stderr)
        XCTAssertTrue(conflict.stderr.contains("Saved elsewhere.") && conflict.stderr.contains("Written in the editor. And more."), conflict.stderr)
        let after = try Run.workbook(["call", "answers.get", #"{"promptId":"solidarity-means"}"#, "--database", db])
        XCTAssertEqual((JSONMatch.parse(after.stdout) as? [String: Any])?["text"] as? String, "Saved elsewhere.")
    }

    func testExportAndBackupFilesArePrivateAndNeverOverwrittenSilently() throws {
        let dir = TempDir()
        let db = dir.file("db.sqlite")
        _ = try Run.workbook(["call", "answers.save", #"{"promptId":"solidarity-means","text":"private words"}"#, "--database", db])
        let out = dir.file("reflection.md")
        XCTAssertEqual(try Run.workbook(["export", "--format", "markdown", "-o", out, "--database", db]).status, 0)
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions]) as? Int, 0o600)
        XCTAssertTrue(try String(contentsOfFile: out, encoding: .utf8).contains("private words"))
        let again = try Run.workbook(["export", "--format", "markdown", "-o", out, "--database", db])
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.stderr.contains("--force"), again.stderr)
        XCTAssertEqual(try Run.workbook(["export", "--format", "json", "-o", out, "--force", "--database", db]).status, 0)
        // A symlink pointing elsewhere is refused, even with --force, and its target is untouched.
        let target = dir.file("someone-elses")
        try "theirs".write(toFile: target, atomically: true, encoding: .utf8)
        let link = dir.file("link.md")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        XCTAssertNotEqual(try Run.workbook(["export", "-o", link, "--force", "--database", db]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "theirs")
        // Backups: 0600, no silent overwrite.
        let backup = dir.file("backup.sqlite")
        XCTAssertEqual(try Run.workbook(["backup", backup, "--database", db]).status, 0)
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions]) as? Int, 0o600)
        XCTAssertNotEqual(try Run.workbook(["backup", backup, "--database", db]).status, 0)
    }
}

/// Error replies collected from several threads.
private final class ErrorLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
