import Foundation
import GRDB
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Knobs the long runs (scripts/*.sh) turn up; the README test command uses the small defaults.
enum Knob {
    /// An integer from the environment, else `fallback`.
    static func int(_ name: String, _ fallback: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap { Int($0) } ?? fallback
    }

    /// The seed for every random choice of a run (printed, so a failure can be replayed).
    static var seed: UInt64 {
        if let text = ProcessInfo.processInfo.environment["WORKBOOK_SEED"], let n = UInt64(text) { return n }
        return UInt64(Date().timeIntervalSince1970 * 1000) & 0xFFFF_FFFF
    }
}

/// Writing to a connection the server has closed (after a malformed header block, or a kill) must be
/// an error for the writer, not SIGPIPE killing the test process.
func ignoreSIGPIPE() { signal(SIGPIPE, SIG_IGN) }

/// One line per figure, grepped by the scripts into RELIABILITY.md.
func report(_ line: String) {
    print("RELIABILITY " + line)
    fflush(nil)
}

/// The JSON string literal for `s`.
func jsonString(_ s: String) -> String {
    String(decoding: try! JSONEncoder().encode(s), as: UTF8.self)
}

/// A parsed reply object.
typealias JSONObject = [String: Any]

/// Parses one reply body as a JSON object.
func object(_ bytes: [UInt8]?) -> JSONObject? {
    bytes.flatMap { JSONMatch.parse($0) as? JSONObject }
}

/// The error code of a reply, if it is an error.
func errorCode(_ reply: JSONObject?) -> Int? {
    (reply?["error"] as? JSONObject)?["code"] as? Int
}

/// The `error.data` object of a reply.
func errorData(_ reply: JSONObject?) -> JSONObject? {
    (reply?["error"] as? JSONObject)?["data"] as? JSONObject
}

/// A request line.
func request(_ id: Int, _ method: String, _ params: String? = nil) -> [UInt8] {
    let p = params.map { #","params":"# + $0 } ?? ""
    return Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)"\#(p)}"#.utf8)
}

/// A connection that sends one request at a time and reads its reply (skipping notifications).
final class Conversation {
    let socket: RawSocket
    let headers: Bool
    private var nextID = 1

    init(path: String, headers: Bool = false) throws {
        socket = try RawSocket(path: path)
        self.headers = headers
    }

    /// Sends `method` and returns the reply object (nil when the connection ended).
    func call(_ method: String, _ params: String? = nil) -> JSONObject? {
        let id = nextID
        nextID += 1
        let body = request(id, method, params)
        socket.send(headers ? Frames.header(body) : Frames.ndjson(body))
        return read(id: id)
    }

    /// Sends raw message bytes (framed here) and returns the one reply, if any arrives before `marker`.
    func sendRaw(_ body: [UInt8]) -> [[UInt8]] {
        socket.send(headers ? Frames.header(body) : Frames.ndjson(body))
        let marker = nextID
        nextID += 1
        let ping = Array(#"{"jsonrpc":"2.0","id":"marker-\#(marker)","method":"server.ping"}"#.utf8)
        socket.send(headers ? Frames.header(ping) : Frames.ndjson(ping))
        var replies: [[UInt8]] = []
        while let body = socket.readMessage(headers: headers) {
            if String(decoding: body, as: UTF8.self) == #"{"jsonrpc":"2.0","id":"marker-\#(marker)","result":{}}"# { return replies }
            // A server-to-client notification (a fuzzed message may have subscribed) is not a reply.
            if let note = object(body), note["method"] != nil, note["id"] == nil { continue }
            replies.append(body)
        }
        replies.append(Array("<connection closed>".utf8))
        return replies
    }

    private func read(id: Int) -> JSONObject? {
        while let body = socket.readMessage(headers: headers) {
            guard let reply = object(body) else { continue }
            if reply["method"] != nil, reply["id"] == nil { continue }
            return reply
        }
        return nil
    }
}

/// Direct, read-only looks at a database file (the server may be running: WAL allows it).
enum DatabaseFile {
    /// Opens `path` read-only.
    static func open(_ path: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        return try DatabaseQueue(path: path, configuration: config)
    }

    /// `PRAGMA integrity_check` rows ("ok" when intact).
    static func integrity(_ path: String) throws -> [String] {
        let db = try open(path)
        defer { try? db.close() }
        return try db.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
    }

    /// Every row of every table we own, as text: equal snapshots mean nothing changed.
    static func snapshot(_ path: String) throws -> String {
        let db = try open(path)
        defer { try? db.close() }
        return try db.read { db in
            var out = ""
            for table in ["meta", "passes", "answers", "revisions", "changes"] {
                out += "== \(table)\n"
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1") { out += row.description + "\n" }
            }
            out += "== answers_fts\n"
            for row in try Row.fetchAll(db, sql: "SELECT rowid, text FROM answers_fts ORDER BY rowid") { out += row.description + "\n" }
            return out
        }
    }

    /// (passId, promptId) → revision → text, from the revisions table.
    static func revisions(_ path: String) throws -> [String: [Int: String]] {
        let db = try open(path)
        defer { try? db.close() }
        return try db.read { db in
            var out: [String: [Int: String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT passId, promptId, revision, text FROM revisions") {
                out["\(row[0] as String) \(row[1] as String)", default: [:]][row[2]] = row[3]
            }
            return out
        }
    }
}

/// Reads `VmHWM` (peak resident set) of a process, in KiB.
func peakRSSKiB(pid: Int32) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }
    return nil
}

/// Mode bits of a file.
func fileMode(_ path: String) -> Int {
    var st = stat()
    guard lstat(path, &st) == 0 else { return -1 }
    return Int(st.st_mode & 0o7777)
}

/// True when any of the database's files (main, -wal, -shm) contains `marker`.
func databaseFilesContain(_ path: String, _ marker: String) -> [String] {
    [path, path + "-wal", path + "-shm", path + "-journal"].filter { file in
        guard let data = FileManager.default.contents(atPath: file) else { return false }
        return data.range(of: Data(marker.utf8)) != nil
    }
}

/// Prompt ids of the default workbook, in reading order.
let defaultPrompts = [
    "what-is-solidarity.better-future", "what-is-solidarity.erased", "what-is-solidarity.seeking-out",
    "what-is-solidarity.ignored-voices", "who-do-i-stand-with", "who-do-i-stand-with.relationships",
    "who-do-i-stand-with.intimacy", "who-do-i-stand-with.major-issues", "solidarity-means",
    "solidarity-means.motivation", "performative-allyship", "performative-allyship.co-opting",
]

/// Answer text with some of everything: multi-byte UTF-8, emoji, quotes, backslashes, newlines.
func awkwardText<G: RandomNumberGenerator>(_ tag: String, using rng: inout G) -> String {
    let pieces = ["ä", "ß", "€", "🙂", "👩🏽‍🤝‍👩🏻", "\"", "\\", "\n", "\t", "\r\n", "<mark>", "&amp;", "中文", "ש", " ", "word"]
    var text = tag + " "
    for _ in 0..<Int.random(in: 0...40, using: &rng) { text += pieces.randomElement(using: &rng)! }
    return text
}
