#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Histogram

/// Minimal `--name value` / `--flag` parsing; the tool has few options and must stay dependency-light.
struct Args {
    private var values: [String: String] = [:]
    private(set) var positional: [String] = []

    init(_ argv: ArraySlice<String>) {
        var i = argv.startIndex
        while i < argv.endIndex {
            let a = argv[i]
            if a.hasPrefix("--") {
                let key = String(a.dropFirst(2))
                if let eq = key.firstIndex(of: "=") {
                    values[String(key[..<eq])] = String(key[key.index(after: eq)...])
                } else if i + 1 < argv.endIndex, !argv[i + 1].hasPrefix("--") {
                    values[key] = argv[i + 1]; i += 1
                } else {
                    values[key] = ""
                }
            } else {
                positional.append(a)
            }
            i += 1
        }
    }

    func string(_ key: String) -> String? { values[key] }
    func string(_ key: String, _ fallback: String) -> String { values[key] ?? fallback }
    func int(_ key: String, _ fallback: Int) -> Int { values[key].flatMap { Int($0.replacingOccurrences(of: "_", with: "")) } ?? fallback }
    func double(_ key: String, _ fallback: Double) -> Double { values[key].flatMap(Double.init) ?? fallback }
    func flag(_ key: String) -> Bool { values[key] != nil }
}

/// Monotonic nanoseconds.
@inline(__always) func nowNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// A latency histogram in nanoseconds (1 ns .. 60 s, 3 significant digits).
func makeHistogram() -> Histogram<UInt64> {
    Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
}

/// Summary of one latency distribution, in microseconds.
struct Latency: Codable, Sendable {
    var count: UInt64
    var p50: Double
    var p99: Double
    var p999: Double
    var max: Double
    var mean: Double

    init(_ h: Histogram<UInt64>) {
        count = h.totalCount
        p50 = Double(h.valueAtPercentile(50)) / 1000
        p99 = Double(h.valueAtPercentile(99)) / 1000
        p999 = Double(h.valueAtPercentile(99.9)) / 1000
        max = Double(h.max) / 1000
        mean = h.mean / 1000
    }
}

/// Resident-set figures of a process, from /proc (kB → MB).
enum ProcStats {
    /// (VmRSS, VmHWM) in MB, nil when the process is gone.
    static func rss(pid: Int32) -> (current: Double, peak: Double)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func field(_ name: String) -> Double {
            for line in text.split(separator: "\n") where line.hasPrefix(name) {
                let digits = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0"
                return (Double(digits) ?? 0) / 1024
            }
            return 0
        }
        return (field("VmRSS:"), field("VmHWM:"))
    }

    /// The 1-minute load average, to print next to every figure.
    static func load() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    }
}

/// Formats a number with a fixed count of decimals.
func fmt(_ v: Double, _ decimals: Int = 1) -> String { String(format: "%.\(decimals)f", v) }

/// Writes to stderr (progress lines; stdout carries the report).
func note(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

/// Fails with a message.
func die(_ s: String) -> Never { note("workbook-bench: " + s); exit(2) }
