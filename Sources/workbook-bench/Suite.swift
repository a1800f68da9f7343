import Foundation
import Histogram

/// One row of the report: a figure, its target, what was measured, its floor and the ratio.
struct ReportRow: Codable {
    var figure: String
    var target: String
    var measured: String
    var floor: String
    var ratio: String
    var load: String
}

/// A child process (echo server, workbook server, Python reference) on a socket in a temp dir.
final class Child {
    let process = Process()
    let socket: String
    var pid: Int32 { process.processIdentifier }

    init(_ executable: String, _ arguments: [String], socket: String) throws {
        self.socket = socket
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        try LoadClient.waitForSocket(socket)
    }

    /// SIGTERM, then SIGKILL after 3 s (the static release server has been seen to ignore SIGTERM).
    func stop() {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            note("  (pid \(pid) ignored SIGTERM for 3 s: SIGKILL)")
            kill(pid, SIGKILL)
        }
        process.waitUntilExit()
    }
}

/// `suite`: the floors and the server, in one run, reported side by side.
enum Suite {
    static func run(_ args: Args) throws {
        guard let workbook = args.string("workbook"), let database = args.string("database") else {
            throw BenchError("suite needs --workbook PATH (the server binary) and --database DB")
        }
        let duration = args.double("duration", 4)
        let warmup = args.double("warmup", 1)
        let floorIterations = args.int("floor-iterations", 2000)
        let dir = NSTemporaryDirectory() + "wbbench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let me = CommandLine.arguments[0].hasPrefix("/") ? CommandLine.arguments[0]
            : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0]
        var rows: [ReportRow] = []
        func load(_ socket: String, _ mix: String, _ conns: Int, _ window: Int, pid: Int32? = nil,
                  requests: Int = 0, seconds: Double? = nil) throws -> LoadResult {
            let spec = LoadSpec(socket: socket, connections: conns, window: window, workload: try Workload(mix: mix),
                                requests: requests, duration: seconds ?? duration, warmup: warmup, serverPID: pid)
            let r = try LoadClient.run(spec)
            note("  \(mix) \(conns)x\(window): \(Int(r.throughput))/s p50 \(fmt(Latency(r.all).p50)) µs p99 \(fmt(Latency(r.all).p99)) µs errors \(r.errors) load \(r.load)")
            if r.errors > 0 { note("  first error: \(r.firstError ?? "")") }
            return r
        }

        // 1. The transport's floor: echo servers, same socket kind, same client.
        var echo: [String: (lat: LoadResult, tput: LoadResult)] = [:]
        for kind in ["raw", "nio"] {
            note("echo floor (\(kind))")
            let sock = dir + "/echo-\(kind).sock"
            let child = try Child(me, ["echo-server", "--kind", kind, "--socket", sock], socket: sock)
            defer { child.stop() }
            echo[kind] = (try load(sock, "server.ping", 1, 1), try load(sock, "server.ping", 8, 16))
        }

        // 2. The server.
        note("workbook server on \(database)")
        let sock = dir + "/workbook.sock"
        let server = try Child(workbook, ["serve", "--socket", sock, "--database", database, "--log-level", "error"], socket: sock)
        usleep(500_000)
        let idle = ProcStats.rss(pid: server.pid)
        let pingLat = try load(sock, "server.ping", 1, 1, pid: server.pid)
        let ping = try load(sock, "server.ping", 8, 16, pid: server.pid)
        let progressLat = try load(sock, "progress.get", 1, 1, pid: server.pid)
        let progress = try load(sock, "progress.get", 8, 16, pid: server.pid)
        let prompts = try load(sock, "prompts.get", 1, 1, pid: server.pid)
        let search = try load(sock, "search", 1, 1, pid: server.pid)
        let save1 = try load(sock, "answers.save", 1, 1, pid: server.pid)
        let save8 = try load(sock, "answers.save", 8, 1, pid: server.pid)
        let saveMany = try load(sock, "answers.saveMany", 1, 1, pid: server.pid)
        let busy = try load(sock, "server.ping=4,progress.get=2,prompts.get=2,search=1,answers.save=1", 64, 4, pid: server.pid)
        server.stop()

        // 3. The storage floor on the same file, and the disk's commit rate.
        note("storage floor")
        let fProgress = try StorageFloor.measure(.progress, path: database, iterations: floorIterations)
        let fPrompts = try StorageFloor.measure(.prompts, path: database, iterations: max(100, floorIterations / 10))
        let fSearch = try StorageFloor.measure(.search, path: database, iterations: max(100, floorIterations / 10))
        let fSave = try StorageFloor.measure(.save, path: database, iterations: 500)
        let fSaveMany = try StorageFloor.measure(.saveMany, path: database, iterations: 50)
        let commits = try StorageFloor.commitRate(directory: (database as NSString).deletingLastPathComponent)

        // 4. The table.
        let raw = echo["raw"]!, nio = echo["nio"]!
        func lat(_ r: LoadResult) -> Latency { Latency(r.all) }
        func us(_ v: Double) -> String { v >= 1000 ? fmt(v / 1000, 2) + " ms" : fmt(v, 1) + " µs" }
        func per(_ v: Double) -> String { v >= 10_000 ? fmt(v / 1000, 1) + "k/s" : fmt(v, 0) + "/s" }
        rows.append(ReportRow(figure: "server.ping 8×16 throughput", target: "≥ 100k/s (Python ref ≈ 90–98k/s)",
                        measured: per(ping.throughput), floor: "echo raw \(per(raw.tput.throughput)), nio \(per(nio.tput.throughput))",
                        ratio: fmt(ping.throughput / raw.tput.throughput, 2) + "× raw, " + fmt(ping.throughput / nio.tput.throughput, 2) + "× nio",
                        load: ping.load))
        rows.append(ReportRow(figure: "server.ping 1×1 p50 round trip", target: "≤ 1.5× echo",
                        measured: us(lat(pingLat).p50) + " (p99 " + us(lat(pingLat).p99) + ")",
                        floor: "raw \(us(lat(raw.lat).p50)), nio \(us(lat(nio.lat).p50))",
                        ratio: fmt(lat(pingLat).p50 / lat(raw.lat).p50, 2) + "× raw, " + fmt(lat(pingLat).p50 / lat(nio.lat).p50, 2) + "× nio",
                        load: pingLat.load))
        rows.append(ReportRow(figure: "server.ping 8×16 p50 / p99", target: "—",
                        measured: us(lat(ping).p50) + " / " + us(lat(ping).p99),
                        floor: "raw \(us(lat(raw.tput).p50)) / \(us(lat(raw.tput).p99))",
                        ratio: fmt(lat(ping).p50 / lat(raw.tput).p50, 2) + "×", load: ping.load))
        rows.append(ReportRow(figure: "progress.get 8×16 throughput", target: "≥ 27k/s at 20k revisions",
                        measured: per(progress.throughput), floor: "SQL \(per(fProgress.perSecond)) (1 thread)",
                        ratio: fmt(progress.throughput / fProgress.perSecond, 2) + "×", load: progress.load))
        for (name, r, f, target) in [("progress.get", progressLat, fProgress, "p99 ≤ 2 ms"), ("prompts.get", prompts, fPrompts, "p99 ≤ 1 ms"),
                                     ("search", search, fSearch, "p99 ≤ 20 ms")] {
            rows.append(ReportRow(figure: "\(name) 1×1 p50 / p99 / p99.9", target: target,
                            measured: us(lat(r).p50) + " / " + us(lat(r).p99) + " / " + us(lat(r).p999),
                            floor: "SQL " + us(f.latency.p50) + " / " + us(f.latency.p99),
                            ratio: fmt(lat(r).p50 / f.latency.p50, 2) + "× p50, " + fmt(lat(r).p99 / f.latency.p99, 2) + "× p99",
                            load: r.load))
        }
        rows.append(ReportRow(figure: "answers.save, 1 connection (durable)", target: "≥ 1 000/s",
                        measured: per(save1.throughput) + ", p99 " + us(lat(save1).p99),
                        floor: "SQL \(per(fSave.perSecond)); disk \(per(commits)) commits",
                        ratio: fmt(save1.throughput / fSave.perSecond, 2) + "× SQL", load: save1.load))
        rows.append(ReportRow(figure: "answers.save, 8 connections (durable)", target: "≥ 80% of disk commit rate",
                        measured: per(save8.throughput) + ", p99 " + us(lat(save8).p99),
                        floor: "disk \(per(commits)) commits",
                        ratio: fmt(100 * save8.throughput / commits, 0) + "% of disk", load: save8.load))
        let items = Double(try Workload(mix: "answers.saveMany").itemsPerSaveMany)
        rows.append(ReportRow(figure: "answers.saveMany ×100, answers/s", target: "≥ 20 000/s",
                        measured: per(saveMany.throughput * items), floor: "SQL \(per(fSaveMany.perSecond * 100))",
                        ratio: fmt(saveMany.throughput / fSaveMany.perSecond, 2) + "×", load: saveMany.load))
        rows.append(ReportRow(figure: "RSS idle / 64 busy connections (peak)", target: "≤ 20 MB / ≤ 100 MB",
                        measured: "\(fmt(idle?.current ?? 0)) MB / \(fmt(busy.peakRSS ?? 0)) MB",
                        floor: "—", ratio: "—", load: busy.load))
        rows.append(ReportRow(figure: "mixed 64×4 throughput", target: "—", measured: per(busy.throughput) + ", p99 " + us(lat(busy).p99),
                        floor: "—", ratio: "—", load: busy.load))
        Report.print(rows, json: args.flag("json"))
    }
}

enum Report {
    static func print(_ rows: [ReportRow], json: Bool) {
        if json {
            let data = (try? JSONEncoder().encode(rows)) ?? Data()
            Swift.print(String(decoding: data, as: UTF8.self))
            return
        }
        Swift.print("| figure | target | measured | floor | ratio | load (1/5/15 min) |")
        Swift.print("|---|---|---|---|---|---|")
        for r in rows { Swift.print("| \(r.figure) | \(r.target) | \(r.measured) | \(r.floor) | \(r.ratio) | \(r.load) |") }
    }
}
