import CMallocTuning
import Foundation
import GRDB

/// `workbook-bench`: drives a running workbook server (or an echo server) over its Unix socket,
/// measures the floors, and builds large databases. See BENCHMARKS.md.
let usage = """
    usage: workbook-bench COMMAND [options]
      load --socket S [--mix server.ping=3,progress.get=1] [--connections 8] [--window 16]
           [--duration 5] [--requests 0] [--warmup 1] [--server-pid PID] [--json]
      suite --workbook BIN --database DB [--duration 4] [--warmup 1] [--json]
      scale --workbook BIN [--duration 3] DB...        (cost growth table, one server per database)
      floor --database DB [--method progress.get] [--iterations 2000]
      echo-server --kind raw|nio --socket S
      generate [--answers 100000] [--revisions 1000000] [--passes 0] [--seed 42] DB
    """

let args = Args(CommandLine.arguments.dropFirst(2))
// The allocator settings `workbook serve` runs with, so the storage floor is measured the same way.
_ = workbook_tune_malloc()
do {
    switch CommandLine.arguments.dropFirst().first {
    case "load":
        guard let socket = args.string("socket") else { throw BenchError("load needs --socket") }
        let spec = LoadSpec(socket: socket, connections: args.int("connections", 8), window: args.int("window", 16),
                            workload: try Workload(mix: args.string("mix", "server.ping"), itemsPerSaveMany: args.int("items", 100)),
                            requests: args.int("requests", 0), duration: args.double("duration", 5),
                            warmup: args.double("warmup", 1), serverPID: args.string("server-pid").flatMap { Int32($0) })
        let r = try LoadClient.run(spec)
        LoadReport.print(r, json: args.flag("json"))
        if r.errors > 0 { exit(1) }
    case "suite":
        try Suite.run(args)
    case "scale":
        try Scale.run(args)
    case "floor":
        guard let db = args.string("database") else { throw BenchError("floor needs --database") }
        let kinds = args.string("method").map { [$0] } ?? ["progress.get", "prompts.get", "search", "answers.save"]
        for k in kinds {
            guard let kind = Workload.Kind(rawValue: k) else { throw BenchError("unknown method \(k)") }
            let f = try StorageFloor.measure(kind, path: db, iterations: args.int("iterations", kind == .save ? 300 : 2000))
            print("\(k) floor: p50 \(fmt(f.latency.p50)) µs p99 \(fmt(f.latency.p99)) µs, \(Int(f.perSecond))/s")
        }
        if args.string("method") == nil {
            print("disk commits (WAL, synchronous=FULL): \(Int(try StorageFloor.commitRate(directory: (db as NSString).deletingLastPathComponent)))/s")
        }
    case "echo-server":
        guard let socket = args.string("socket") else { throw BenchError("echo-server needs --socket") }
        try EchoServer.run(kind: args.string("kind", "raw"), path: socket)
    case "generate":
        guard let path = args.positional.first else { throw BenchError("generate needs a database path") }
        try Generator.run(path: path, .init(answers: args.int("answers", 100_000), revisions: args.int("revisions", 1_000_000),
                                            passes: args.int("passes", 0), seed: UInt64(args.int("seed", 42))))
    default:
        print(usage)
        exit(64)
    }
} catch {
    die("\(error)")
}

/// Prints one load run: a human line, or one JSON object (the smoke test parses it).
enum LoadReport {
    static func print(_ r: LoadResult, json: Bool) {
        let all = Latency(r.all)
        if json {
            struct Out: Encodable {
                var mix: String; var connections: Int; var window: Int; var seconds: Double
                var completed: UInt64; var errors: UInt64; var firstError: String?; var throughput: Double
                var latencyMicros: Latency; var perMethod: [String: Latency]; var serverPeakRSSMB: Double?
                var load: String
            }
            let out = Out(mix: r.spec.workload.sequence.map(\.rawValue).joined(separator: ","), connections: r.spec.connections,
                          window: r.spec.window, seconds: r.elapsed, completed: r.completed, errors: r.errors,
                          firstError: r.firstError, throughput: r.throughput, latencyMicros: all,
                          perMethod: Dictionary(uniqueKeysWithValues: r.perKind.map { ($0.key.rawValue, Latency($0.value)) }),
                          serverPeakRSSMB: r.peakRSS, load: r.load)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            Swift.print(String(decoding: (try? encoder.encode(out)) ?? Data(), as: UTF8.self))
            return
        }
        Swift.print("\(r.spec.connections) connections × \(r.spec.window) in flight, \(fmt(r.elapsed, 2)) s: \(r.completed) replies, \(r.errors) errors, \(Int(r.throughput))/s")
        Swift.print("latency µs: p50 \(fmt(all.p50)) p99 \(fmt(all.p99)) p99.9 \(fmt(all.p999)) max \(fmt(all.max))")
        for (k, h) in r.perKind.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where r.perKind.count > 1 {
            let l = Latency(h)
            Swift.print("  \(k.rawValue): \(l.count) p50 \(fmt(l.p50)) p99 \(fmt(l.p99)) p99.9 \(fmt(l.p999))")
        }
        if let peak = r.peakRSS { Swift.print("server RSS: peak \(fmt(peak)) MB, now \(fmt(r.endRSS ?? 0)) MB") }
        Swift.print("load average: \(r.load)")
        if let e = r.firstError { Swift.print("first error: \(e)") }
    }
}

/// `scale`: per-method latency on databases of growing size (1×, 10×, 100×), each with its floor.
enum Scale {
    static func run(_ args: Args) throws {
        guard let workbook = args.string("workbook"), !args.positional.isEmpty else { throw BenchError("scale needs --workbook BIN and databases") }
        let dir = NSTemporaryDirectory() + "wbbench-scale-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let methods: [Workload.Kind] = [.progress, .prompts, .search, .save]
        var lines: [String] = []
        for db in args.positional {
            let sock = dir + "/s.sock"
            let server = try Child(workbook, ["serve", "--socket", sock, "--database", db, "--log-level", "error"], socket: sock)
            var cells: [String] = []
            for m in methods {
                let r = try LoadClient.run(LoadSpec(socket: sock, connections: 1, window: 1, workload: try Workload(mix: m.rawValue),
                                                    duration: args.double("duration", 3), warmup: 0.5))
                let l = Latency(r.all)
                cells.append("\(fmt(l.p50)) / \(fmt(l.p99))")
                note("  \(db) \(m.rawValue): p50 \(fmt(l.p50)) µs p99 \(fmt(l.p99)) µs (\(r.completed) calls, errors \(r.errors), load \(r.load))")
            }
            server.stop()
            for m in methods where m != .save {
                let f = try StorageFloor.measure(m, path: db, iterations: m == .progress ? 2000 : 200)
                cells.append("\(fmt(f.latency.p50)) / \(fmt(f.latency.p99))")
            }
            let counts = (try? Scale.counts(db)) ?? "?"
            lines.append("| \(counts) | " + cells.joined(separator: " | ") + " | \(ProcStats.load()) |")
        }
        print("| database (answers / revisions) | progress.get | prompts.get | search | answers.save | SQL progress | SQL prompts | SQL search | load |")
        print("|---|---|---|---|---|---|---|---|---|")
        for l in lines { print(l) }
        print("(p50 / p99 in µs, 1 connection, 1 request in flight)")
    }

    static func counts(_ db: String) throws -> String {
        let q = try GRDBHelpers.open(db)
        return try q.read { d in
            "\(try Int.fetchOne(d, sql: "SELECT count(*) FROM answers") ?? 0) / \(try Int.fetchOne(d, sql: "SELECT count(*) FROM revisions") ?? 0)"
        }
    }
}
