import Foundation
import GRDB
import JSONRPC
import Logging
import TestSupport
import WorkbookServer
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue #6, area 4: storage faults. At start-up: a message on stderr and a non-zero exit; during a
/// request: 1009 (read-only) or 1010 with `data.kind`; in every case what was stored stays stored.
final class FaultTests: XCTestCase {
    private let prompt = "what-is-solidarity.better-future"

    private func save(_ text: String, on c: Conversation, prompt: String? = nil) -> JSONObject? {
        c.call("answers.save", #"{"promptId":"\#(prompt ?? self.prompt)","text":\#(jsonString(text))}"#)
    }

    private func storedText(_ database: String, prompt: String? = nil) throws -> String? {
        let r = try Run.workbook(["call", "answers.get", #"{"promptId":"\#(prompt ?? self.prompt)"}"#, "--database", database])
        XCTAssertEqual(r.status, 0, r.stderr)
        return (JSONMatch.parse(r.stdout) as? JSONObject)?["text"] as? String
    }

    /// Runs the binary as uid 65534 when we are root (root ignores file modes), else as ourselves.
    private func runUnprivileged(_ args: [String], input: [UInt8]? = nil) throws -> CommandResult {
        if getuid() == 0 {
            guard let setpriv = Run.which("setpriv") else { throw XCTSkip("root without setpriv cannot drop privileges") }
            return try Run.command(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", WorkbookBinary.path] + args,
                                   input: input, environment: ["HOME": "/nonexistent"])
        }
        return try Run.workbook(args, input: input)
    }

    func testReadOnlyDatabaseStopsStartUpAndKeepsTheFile() throws {
        // Given a database with an answer, owned by the user who will serve it, made read-only
        let dir = TempDir()
        chmod(dir.path, 0o755)
        let data = dir.file("data"), db = data + "/wb.sqlite"
        let r = try Run.workbook(["call", "answers.save", #"{"promptId":"\#(prompt)","text":"kept safe"}"#, "--database", db])
        XCTAssertEqual(r.status, 0, r.stderr)
        if getuid() == 0 { for path in [data, db] { chown(path, 65534, 65534) } }
        chmod(db, 0o444)
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        // When the server starts on it
        let result = try runUnprivileged(["serve", "--stdio", "--database", db], input: Frames.ndjson(request(1, "server.ping")))
        // Then it refuses with a clear message and a non-zero exit, and the file is untouched
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("not writable") || result.stderr.contains("read-only") || result.stderr.contains("readOnly"), result.stderr)
        XCTAssertTrue(result.stderr.contains(db), "the message names the file: \(result.stderr)")
        XCTAssertEqual(result.stdout, [], "nothing on the protocol channel")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before)
        // And once writable again, the answer is there
        chmod(db, 0o600)
        XCTAssertEqual(try storedText(db), "kept safe")
        report("fault-readonly: start-up refused, exit=\(result.status), lost=0")
    }

    func testMissingDirectoryIsCreatedPrivatelyAndAnImpossibleOneIsReported() throws {
        let dir = TempDir()
        // Given a database path whose directories do not exist
        let db = dir.file("a/b/c/wb.sqlite")
        let server = try SocketServer(dir: dir, database: db)
        let c = try Conversation(path: server.socketPath)
        XCTAssertNotNil(save("in a new directory", on: c)?["result"])
        XCTAssertEqual(server.stop(), 0)
        // Then they were created 0700 and the answer is stored
        XCTAssertEqual(fileMode(dir.file("a/b/c")), 0o700)
        XCTAssertEqual(try storedText(db), "in a new directory")
        // Given a path that cannot be a directory (its parent is a file)
        _ = FileManager.default.createFile(atPath: dir.file("plain"), contents: Data("x".utf8))
        let result = try Run.workbook(["serve", "--socket", dir.file("run2/wb.sock"), "--database", dir.file("plain/sub/wb.sqlite")])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains(dir.file("plain")), result.stderr)
        XCTAssertEqual(try String(contentsOfFile: dir.file("plain"), encoding: .utf8), "x")
        report("fault-missing-dir: created 0700; impossible path refused, exit=\(result.status)")
    }

    func testDirectoryRemovedUnderARunningServerIsNotSilentlyAcknowledged() throws {
        // Given a server whose data directory is removed while it runs
        let dir = TempDir()
        let db = dir.file("data/wb.sqlite")
        let server = try SocketServer(dir: dir, database: db)
        let c = try Conversation(path: server.socketPath)
        XCTAssertNotNil(save("before", on: c)?["result"])
        try FileManager.default.removeItem(atPath: dir.file("data"))
        // When a save arrives, Then it is refused (the file it would go to is gone), not acknowledged
        let reply = save("after the directory vanished", on: c)
        XCTAssertNil(reply?["result"], "a save into a deleted file was acknowledged: \(String(describing: reply))")
        XCTAssertTrue([1009, 1010].contains(errorCode(reply) ?? 0), "\(String(describing: reply))")
        XCTAssertNotNil(c.call("server.ping")?["result"], "the server still answers")
        XCTAssertEqual(server.stop(), 0)
        report("fault-dir-removed: save refused with \(errorCode(reply) ?? 0) \(errorData(reply)?["kind"] ?? "")")
    }

    func testDiskFullThroughTheServiceIs1010StorageFullAndLosesNothing() throws {
        // Given the whole service (dispatcher, methods, store) on a database file capped at its size
        let dir = TempDir()
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = try WorkbookApp(configuration: ServerConfiguration(databasePath: dir.file("wb.sqlite")), logger: logger)
        let service = WorkbookService(app: app)
        let context = ConnectionContext(app: app, connection: nil)
        func send(_ method: String, _ params: String) -> JSONObject? {
            object(service.handle(message: request(1, method, params), context: context))
        }
        XCTAssertNotNil(send("answers.save", #"{"promptId":"\#(prompt)","text":"kept"}"#)?["result"])
        try app.store.writer.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count")!
            _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages)")
        }
        let before = try DatabaseFile.snapshot(dir.file("wb.sqlite"))
        // When a large answer does not fit
        let big = String(repeating: "many words of a long answer ", count: 10_000)
        let reply = send("answers.save", #"{"promptId":"solidarity-means","text":"\#(big)"}"#)
        // Then the reply is 1010 storageFull, nothing changed, reads still work
        XCTAssertEqual(errorCode(reply), 1010, "\(String(describing: reply))")
        XCTAssertEqual(errorData(reply)?["kind"] as? String, "storageFull")
        XCTAssertEqual(try DatabaseFile.snapshot(dir.file("wb.sqlite")), before)
        XCTAssertEqual((send("answers.get", #"{"promptId":"\#(prompt)"}"#)?["result"] as? JSONObject)?["text"] as? String, "kept")
        // And once there is room again, the same save succeeds
        try app.store.writer.writeWithoutTransaction { db in _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = 1073741823") }
        XCTAssertNotNil(send("answers.save", #"{"promptId":"solidarity-means","text":"\#(big)"}"#)?["result"])
        report("fault-disk-full(max_page_count): 1010 storageFull, lost=0")
    }

    func testFileSizeLimitOnTheRealServerFailsTheSaveNotTheServer() throws {
        // Given a database, then the server restarted with RLIMIT_FSIZE just above the file's size
        // (SIGXFSZ ignored, as a shell would leave it), so the WAL cannot take a large answer
        let dir = TempDir()
        let first = try SocketServer(dir: dir)
        XCTAssertNotNil(save("kept", on: try Conversation(path: first.socketPath))?["result"])
        XCTAssertEqual(first.stop(), 0)
        func size(_ path: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0 }
        let blocks = max(size(first.databasePath), size(first.databasePath + "-wal")) / 512 + 256
        let script = #"trap '' XFSZ; ulimit -f "$1"; shift; exec "$@""#
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "sh", "\(blocks)", WorkbookBinary.path, "serve", "--socket", first.socketPath,
                             "--database", first.databasePath]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // Ready when it says so on stderr
        var text = ""
        while !text.contains("listening on") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        XCTAssertTrue(text.contains("listening on"), text)
        let c = try Conversation(path: first.socketPath)
        // When a save needs more room than the limit allows
        let big = String(repeating: "x", count: blocks * 512 + 100_000)
        let reply = save(big, on: c, prompt: "solidarity-means")
        // Then that save fails with 1010, the server lives on and keeps what it had
        XCTAssertEqual(errorCode(reply), 1010, "\(String(describing: reply))")
        let kind = errorData(reply)?["kind"] as? String ?? ""
        XCTAssertTrue(["storageFull", "storageIO"].contains(kind), kind)
        XCTAssertTrue(process.isRunning)
        XCTAssertEqual((c.call("answers.get", #"{"promptId":"\#(prompt)"}"#)?["result"] as? JSONObject)?["text"] as? String, "kept")
        let small = save("small still fits", on: c, prompt: "solidarity-means")
        XCTAssertNotNil(small?["result"], "\(String(describing: small))")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(try DatabaseFile.integrity(first.databasePath), ["ok"])
        XCTAssertEqual(try storedText(first.databasePath, prompt: "solidarity-means"), "small still fits")
        report("fault-fsize-limit: 1010 \(kind), server alive, lost=0")
    }

    func testLockedPastTheBusyTimeoutIs1010StorageBusy() throws {
        // Given a running server with an answer, and another process holding the write lock
        let dir = TempDir()
        let server = try SocketServer(dir: dir)
        let c = try Conversation(path: server.socketPath)
        XCTAssertNotNil(save("kept", on: c)?["result"])
        var config = Configuration()
        config.allowsUnsafeTransactions = true  // the lock is held across accesses on purpose
        let holder = try DatabaseQueue(path: server.databasePath, configuration: config)
        try holder.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        // When a save waits past the 5 s busy timeout
        let start = Date()
        let reply = save("blocked", on: c)
        let waited = Date().timeIntervalSince(start)
        // Then it fails with 1010 storageBusy, and reads were never blocked (WAL)
        XCTAssertEqual(errorCode(reply), 1010, "\(String(describing: reply))")
        XCTAssertEqual(errorData(reply)?["kind"] as? String, "storageBusy")
        XCTAssertGreaterThanOrEqual(waited, 4.5)
        XCTAssertEqual((c.call("answers.get", #"{"promptId":"\#(prompt)"}"#)?["result"] as? JSONObject)?["text"] as? String, "kept")
        // And once the lock is released, saving works again
        try holder.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
        XCTAssertEqual((save("after the lock", on: c)?["result"] as? JSONObject)?["revision"] as? Int, 2)
        XCTAssertEqual(server.stop(), 0)
        // And a ready database opens without writing, so a server started under the lock serves reads
        // and answers a save with 1010 once the timeout passes
        try holder.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        let second = try SocketServer(dir: dir, socket: server.socketPath, database: server.databasePath)
        let c2 = try Conversation(path: second.socketPath)
        XCTAssertEqual((c2.call("answers.get", #"{"promptId":"\#(prompt)"}"#)?["result"] as? JSONObject)?["text"] as? String, "after the lock")
        XCTAssertEqual(errorData(save("blocked again", on: c2))?["kind"] as? String, "storageBusy")
        try holder.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
        try holder.close()
        XCTAssertEqual(second.stop(), 0)
        XCTAssertEqual(try storedText(server.databasePath), "after the lock")
        // And at start-up, a new database that cannot be set up past the timeout is a message and a non-zero exit
        let fresh = dir.file("fresh.sqlite")
        let freshHolder = try DatabaseQueue(path: fresh, configuration: config)
        try freshHolder.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        let result = try Run.workbook(["serve", "--socket", dir.file("fresh.sock"), "--database", fresh])
        try freshHolder.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
        try freshHolder.close()
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("storageBusy") || result.stderr.contains("locked"), result.stderr)
        report("fault-locked: 1010 storageBusy after \(String(format: "%.1f", waited)) s; a ready database still opens under the lock; "
               + "a new one: start-up exit=\(result.status); lost=0")
    }

    func testCorruptDatabaseFile() throws {
        // Given a file that is not a database
        let dir = TempDir()
        let junk = dir.file("junk.sqlite")
        let bytes = Data((0..<16384).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try bytes.write(to: URL(fileURLWithPath: junk))
        // When the server starts on it, Then it refuses clearly and leaves the file alone
        let result = try Run.workbook(["serve", "--socket", dir.file("run/wb.sock"), "--database", junk])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("storageCorrupt") || result.stderr.contains("not a database"), result.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: junk)), bytes)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("run/wb.sock")))

        // Given a database whose revisions table has a damaged page
        let server = try SocketServer(dir: dir)
        let c = try Conversation(path: server.socketPath)
        for n in 0..<3 { XCTAssertNotNil(save("answer \(n)", on: c)?["result"]) }
        XCTAssertEqual(server.stop(), 0)
        let (root, pageSize) = try DatabaseQueue(path: server.databasePath).read { db in
            (try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'revisions'")!,
             try Int.fetchOne(db, sql: "PRAGMA page_size")!)
        }
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: server.databasePath))
        try handle.seek(toOffset: UInt64((root - 1) * pageSize))
        handle.write(Data(repeating: 0xEE, count: pageSize))
        try handle.close()
        // When the server starts and is asked for the damaged table
        let damaged = try SocketServer(dir: dir)
        let d = try Conversation(path: damaged.socketPath)
        let history = d.call("answers.history", #"{"promptId":"\#(prompt)"}"#)
        let write = save("onto a damaged table", on: d)
        // Then it says storageCorrupt, still serves what is intact, and keeps running
        XCTAssertEqual(errorCode(history), 1010, "\(String(describing: history))")
        XCTAssertEqual(errorData(history)?["kind"] as? String, "storageCorrupt")
        XCTAssertEqual(errorCode(write), 1010, "\(String(describing: write))")
        XCTAssertEqual((d.call("answers.get", #"{"promptId":"\#(prompt)"}"#)?["result"] as? JSONObject)?["text"] as? String, "answer 2")
        XCTAssertNotNil(d.call("server.ping")?["result"])
        XCTAssertEqual(damaged.stop(), 0)
        report("fault-corrupt: start-up exit=\(result.status), request 1010 storageCorrupt, intact tables still served")
    }

    func testBadPackFilesAreReportedAndSkipped() throws {
        // Given a packs directory with a non-JSON file, an invalid pack and a valid one
        let dir = TempDir()
        let packs = dir.file("packs")
        try FileManager.default.createDirectory(atPath: packs, withIntermediateDirectories: true)
        let valid = """
            {"id": "extra", "version": "1.0.0", "title": "Extra", "summary": "A test pack.", "language": "en",
             "items": [{"id": "extra.part", "kind": "section", "title": "Part", "text": "", "items": [
               {"id": "extra.lead", "kind": "prompt", "text": "Why?"}]}]}
            """
        try Data("this is { not json".utf8).write(to: URL(fileURLWithPath: packs + "/broken.json"))
        try Data(#"{"id": "x", "title": "X"}"#.utf8).write(to: URL(fileURLWithPath: packs + "/invalid.json"))
        try Data(valid.utf8).write(to: URL(fileURLWithPath: packs + "/good.json"))
        // When the server starts with it
        let server = try SocketServer(dir: dir, extra: ["--packs", packs])
        // Then both bad files are named on stderr and skipped, and the rest is served
        XCTAssertTrue(server.stderr.contains("broken.json"), server.stderr)
        XCTAssertTrue(server.stderr.contains("invalid.json"), server.stderr)
        let list = try XCTUnwrap(try Conversation(path: server.socketPath).call("workbooks.list")?["result"] as? [JSONObject])
        XCTAssertEqual(list.compactMap { $0["id"] as? String }.sorted(), ["extra", "solidarity"])
        XCTAssertEqual(server.stop(), 0)
        // And `workbook packs validate` exits non-zero for each bad file, zero for the good one
        for (name, ok) in [("broken.json", false), ("invalid.json", false), ("good.json", true)] {
            let r = try Run.workbook(["packs", "validate", packs + "/" + name])
            XCTAssertEqual(r.status == 0, ok, "\(name): \(r.status) \(r.stderr)")
            if !ok { XCTAssertTrue(r.stderr.contains(name), r.stderr) }
        }
        report("fault-packs: 2 bad packs reported and skipped, server started")
    }
}
