import Foundation
import GRDB
import Histogram
import Workbook

/// The storage floor: the same SQL the store runs for each method on the same database file, through
/// GRDB's cached statements, or the store's own functions where it has them (a save's row writes,
/// the answer lookup), one read snapshot per call as the server takes, with no JSON-RPC, no
/// transport, no result encoding and no domain assembly.
enum StorageFloor {
    struct Figure {
        var name: String
        var latency: Latency
        var perSecond: Double
    }

    static let passSQL = """
        SELECT id, workbookId, title, startedAt, closedAt FROM passes WHERE workbookId = ?
        ORDER BY startedAt DESC, rowid DESC LIMIT 1
        """

    /// Times `iterations` calls of `kind`'s SQL (single thread).
    static func measure(_ kind: Workload.Kind, path: String, iterations: Int) throws -> Figure {
        var config = Configuration()
        config.busyMode = .timeout(5)
        // The pragmas the store sets (secure_delete makes every freed cell a zeroed write: same work).
        config.prepareDatabase { db in try db.execute(sql: WorkbookStore.connectionPragmas) }
        config.foreignKeysEnabled = true
        let pool = try DatabasePool(path: path, configuration: config)
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let catalog = WorkbookCatalog.standard
        let workbookId = catalog.defaultWorkbookId
        let prompts = catalog.prompts(in: workbookId).map(\.prompt.id)
        let version = catalog.pack(workbookId)?.version ?? ""
        var h = makeHistogram()
        let started = nowNanos()
        for i in 0..<iterations {
            let t0 = nowNanos()
            switch kind {
            case .ping:
                break
            case .progress:
                try pool.read { db in
                    guard let pass = try Row.fetchOne(db.cachedStatement(sql: passSQL), arguments: [workbookId]) else { return }
                    let passId: String = pass[0]
                    let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT promptId, status, words, updatedAt FROM answers WHERE passId = ?"),
                                                   arguments: [passId])
                    var words = 0
                    while let row = try rows.next() { let _: String = row[0]; let _: String = row[1]; words += row[2] as Int; let _: String = row[3] }
                    _ = words
                }
            case .prompts:
                let promptId = prompts[i % prompts.count]
                try pool.read { db in
                    guard let pass = try Row.fetchOne(db.cachedStatement(sql: passSQL), arguments: [workbookId]) else { return }
                    let passId: String = pass[0], startedAt: String = pass[3]
                    _ = try WorkbookStore.fetchAnswer(db, passId: passId, promptId: promptId)
                    let rowid = try Int64.fetchOne(db.cachedStatement(sql: "SELECT rowid FROM passes WHERE id = ?"), arguments: [passId]) ?? 0
                    // The default page of earlier answers, one row past it to learn `earlierMore`.
                    _ = try Row.fetchAll(db.cachedStatement(sql: WorkbookStore.earlierAnswersSQL),
                                         arguments: [promptId, workbookId, startedAt, startedAt, rowid, WorkbookStore.defaultEarlierLimit + 1])
                }
            case .search:
                let word = "\"" + Workload.words[i % Workload.words.count] + "\""
                try pool.read { db in
                    let marks: StatementArguments = [WorkbookStore.markStart, WorkbookStore.markEnd]
                    let oldest = try Int64.fetchOne(db.cachedStatement(sql: WorkbookStore.searchWindowSQL(filter: "")),
                                                    arguments: [word, WorkbookStore.rankedAnswers - 1])
                    _ = try Row.fetchAll(db.cachedStatement(sql: WorkbookStore.answerSearchSQL(filter: "")),
                                         arguments: marks + [word, oldest ?? Int64.min, 20])
                    _ = try Row.fetchAll(db.cachedStatement(sql: WorkbookStore.promptSearchSQL(byWorkbook: false)),
                                         arguments: marks + [word, 20])
                }
            case .save, .saveMany:
                let items = kind == .save ? 1 : 100
                try pool.write { db in
                    var indexChanges: [(rowid: Int64, old: String?, new: String)] = []
                    // The open pass, once per transaction (as the store's saveMany looks it up).
                    guard let passId = try String.fetchOne(db.cachedStatement(sql: """
                        SELECT id FROM passes WHERE workbookId = ? AND closedAt IS NULL
                        ORDER BY startedAt DESC, rowid DESC LIMIT 1
                        """), arguments: [workbookId]) else { throw BenchError("no open pass") }
                    let at = Generator.timestamp(Int(Date().timeIntervalSince1970))
                    // The store's own row writes, as a save runs them.
                    for k in 0..<items {
                        let promptId = prompts[(i * items + k) % prompts.count]
                        let current = try WorkbookStore.fetchAnswer(db, passId: passId, promptId: promptId)
                        let revision = (current?.revision ?? 0) + 1
                        let text = "floor \(i) \(k) solidarity care listen organise end"
                        try WorkbookStore.insertRevision(db, uuid: RandomID.timeOrdered(at: Date()), passId: passId,
                                                         promptId: promptId, revision: revision, text: text, status: .draft,
                                                         at: at, client: "floor", packVersion: version, reason: nil)
                        let answer = Answer(promptId: promptId, passId: passId, text: text, status: .draft,
                                            revision: revision, updatedAt: at, client: "floor")
                        let rowid = try WorkbookStore.upsertAnswerRow(db, answer, packVersion: version)
                        indexChanges.append((rowid, current?.text, text))
                        try WorkbookStore.appendChange(db, .answerSaved, workbookId: workbookId, passId: passId,
                                                       promptId: promptId, revision: revision, status: .draft,
                                                       at: at, client: "floor")
                    }
                    // The search index, as the store keeps it: once per transaction, in rowid order.
                    try AnswerIndex.apply(indexChanges, db)
                }
            }
            _ = h.record(nowNanos() - t0)
        }
        let seconds = Double(nowNanos() - started) / 1e9
        return Figure(name: kind.rawValue, latency: Latency(h), perSecond: Double(iterations) / seconds)
    }

    /// The disk's durable commit rate: one tiny INSERT per transaction, WAL, synchronous=FULL, in a
    /// scratch file next to `directory`'s database (same file system).
    static func commitRate(directory: String, seconds: Double = 2) throws -> Double {
        let path = directory + "/commit-floor.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t(x TEXT)")
        }
        let end = Date().addingTimeInterval(seconds)
        var commits = 0
        let start = Date()
        while Date() < end {
            try queue.write { db in try db.execute(sql: "INSERT INTO t VALUES ('x')") }
            commits += 1
        }
        return Double(commits) / Date().timeIntervalSince(start)
    }
}

enum GRDBHelpers {
    static func open(_ path: String) throws -> DatabasePool {
        var config = Configuration()
        config.readonly = true
        return try DatabasePool(path: path, configuration: config)
    }
}
