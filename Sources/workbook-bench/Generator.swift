#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB
import Workbook

/// Builds a large database for the scale runs through the store's own schema: the file is created
/// and migrated by `WorkbookStore.open` (same tables, indexes, FTS delete trigger, meta rows), then filled
/// in one transaction with prepared statements. Rows look like what the server writes: passes of the
/// default workbook (the newest open, the rest closed), every answer with its revision history,
/// one change-log entry per revision, the FTS index built once at the end.
enum Generator {
    struct Options {
        var answers = 100_000
        var revisions = 1_000_000
        var passes = 0 // 0: as few as the pack allows (answers / prompts per pass)
        var seed: UInt64 = 42
    }

    static func run(path: String, _ o: Options) throws {
        if FileManager.default.fileExists(atPath: path) { throw BenchError("\(path) exists; the generator only creates new files") }
        let catalog = WorkbookCatalog.standard
        let workbookId = catalog.defaultWorkbookId
        let prompts = catalog.prompts(in: workbookId).map(\.prompt.id)
        let version = catalog.pack(workbookId)?.version ?? ""
        let passes = o.passes > 0 ? o.passes : (o.answers + prompts.count - 1) / prompts.count
        guard o.answers <= passes * prompts.count else {
            throw BenchError("\(o.answers) answers need at least \(o.answers / prompts.count + 1) passes of \(prompts.count) prompts")
        }
        guard o.revisions >= o.answers else { throw BenchError("--revisions must be at least --answers") }
        let started = Date()
        let store = try WorkbookStore.open(path: path, catalog: catalog)
        var rng = SplitMix(seed: o.seed)
        let vocabulary = Self.vocabulary(&rng)
        var revisionsLeft = o.revisions, answersLeft = o.answers
        let base = 1_704_067_200 // 2024-01-01T00:00:00Z
        try store.writer.write { db in
            let insertPass = try db.makeStatement(sql: "INSERT INTO passes(id, workbookId, title, startedAt, closedAt) VALUES (?, ?, ?, ?, ?)")
            let insertRevision = try db.makeStatement(sql: """
                INSERT INTO revisions(uuid, passId, promptId, revision, text, status, at, client, packVersion, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
                """)
            let insertAnswer = try db.makeStatement(sql: """
                INSERT INTO answers(passId, promptId, text, status, revision, updatedAt, client, packVersion, words)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertChange = try db.makeStatement(sql: """
                INSERT INTO changes(type, workbookId, passId, promptId, revision, status, at, client)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for p in 0..<passes {
                let passId = UUID().uuidString.lowercased()
                let t0 = base + p * 86_400
                let isLast = p == passes - 1
                try insertPass.execute(arguments: [passId, workbookId, "pass \(p + 1)", timestamp(t0),
                                                   isLast ? nil : timestamp(t0 + 80_000)])
                try insertChange.execute(arguments: ["pass.started", workbookId, passId, nil, nil, nil, timestamp(t0), "generator"])
                let passesLeft = passes - p
                let inThisPass = min(prompts.count, (answersLeft + passesLeft - 1) / passesLeft)
                for a in 0..<inThisPass {
                    let promptId = prompts[a]
                    let revs = max(1, (revisionsLeft + answersLeft - 1) / answersLeft)
                    var text = "", status = "draft", at = ""
                    for r in 1...revs {
                        text = sentence(&rng, vocabulary, words: 8 + Int(rng.next() % 10))
                        let roll = rng.next() % 10
                        status = r < revs ? "draft" : (roll < 7 ? "final" : (roll < 9 ? "draft" : "skipped"))
                        at = timestamp(t0 + a * 600 + r * 30)
                        try insertRevision.execute(arguments: [UUID().uuidString.lowercased(), passId, promptId, r, text,
                                                               status, at, "generator", version])
                        try insertChange.execute(arguments: [status == "skipped" ? "answer.skipped" : "answer.saved",
                                                             workbookId, passId, promptId, r, status, at, "generator"])
                    }
                    try insertAnswer.execute(arguments: [passId, promptId, text, status, revs, at, "generator", version,
                                                         text.split(separator: " ").count])
                    revisionsLeft -= revs
                    answersLeft -= 1
                }
            }
            // The store indexes answer texts itself (AnswerIndex); rows inserted here are indexed at once.
            try db.execute(sql: "INSERT INTO answers_fts(answers_fts) VALUES ('rebuild')")
        }
        try store.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let counts = try store.writer.read { db in
            try ["passes", "answers", "revisions", "changes"].map { "\($0)=\(try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? 0)" }
        }
        note("generated \(path): \(counts.joined(separator: " ")) in \(fmt(Date().timeIntervalSince(started))) s")
    }

    /// 2 000 made-up words (skewed: early ones are common) plus the benchmark's search words.
    static func vocabulary(_ rng: inout SplitMix) -> [String] {
        let syllables = ["ka", "lo", "mi", "re", "tu", "sa", "ne", "po", "di", "va", "ro", "te", "bu", "fi", "ga", "he"]
        var words: [String] = []
        for _ in 0..<2000 {
            let n = 2 + Int(rng.next() % 3)
            words.append((0..<n).map { _ in syllables[Int(rng.next() % UInt64(syllables.count))] }.joined())
        }
        return words
    }

    /// A sentence of made-up words, with one or two of the benchmark's search words.
    static func sentence(_ rng: inout SplitMix, _ vocabulary: [String], words: Int) -> String {
        var out: [String] = []
        for i in 0..<words {
            if i == 1 || (i == 5 && rng.next() % 2 == 0) {
                out.append(Workload.words[Int(rng.next() % UInt64(Workload.words.count))])
            } else {
                // Skewed toward the start of the vocabulary (a rough Zipf).
                let r = Double(rng.next() % 1_000_000) / 1_000_000
                out.append(vocabulary[min(vocabulary.count - 1, Int(pow(r, 3) * Double(vocabulary.count)))])
            }
        }
        return out.joined(separator: " ")
    }

    /// RFC 3339 UTC with milliseconds, as the store writes times.
    static func timestamp(_ seconds: Int) -> String {
        var t = time_t(seconds)
        var tm = tm()
        gmtime_r(&t, &tm)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(tm.tm_year + 1900)-\(two(tm.tm_mon + 1))-\(two(tm.tm_mday))T\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)).000Z"
    }
}

/// A small deterministic PRNG (the same database every run for the same seed).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
