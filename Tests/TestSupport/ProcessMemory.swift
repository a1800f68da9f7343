import Foundation

/// A process's memory as Linux reports it in /proc/PID/status.
public struct ProcessMemory: Sendable, Equatable {
    /// Resident set size now, in KiB (`VmRSS`).
    public var residentKiB: Int
    /// Peak resident set size, in KiB (`VmHWM`).
    public var peakKiB: Int

    /// Reads `pid`'s status; nil where /proc is missing (not Linux) or the process is gone.
    public static func of(_ pid: Int32) -> ProcessMemory? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func field(_ name: String) -> Int? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int($0) }
        }
        guard let rss = field("VmRSS"), let hwm = field("VmHWM") else { return nil }
        return ProcessMemory(residentKiB: rss, peakKiB: hwm)
    }
}
