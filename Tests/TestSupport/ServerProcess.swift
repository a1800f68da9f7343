import Foundation

/// Locates the built `workbook` binary: `$WORKBOOK_BIN`, else next to the test bundle.
public enum WorkbookBinary {
    /// The binary's path.
    public static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["WORKBOOK_BIN"], !explicit.isEmpty { return explicit }
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [bundleDir, bundleDir.deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("workbook").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("workbook").path
    }

    /// True when running in CI, where nothing may be skipped for a missing tool.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
}

/// A temporary directory removed at deinit.
public final class TempDir: @unchecked Sendable {
    /// Its path.
    public let path: String
    /// Creates a fresh directory under /tmp (short, so socket paths fit in sun_path).
    public init() {
        var template = Array("/tmp/wbtest.XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }
    /// `path/name`.
    public func file(_ name: String) -> String { path + "/" + name }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The result of a finished command.
public struct CommandResult: Sendable {
    /// Exit status.
    public var status: Int32
    /// Standard output bytes.
    public var stdout: [UInt8]
    /// Standard error text.
    public var stderr: String
    /// stdout as text.
    public var out: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs commands and the server for end-to-end tests.
public enum Run {
    /// Runs `executable args` with `input` on stdin (nil: /dev/null) to completion.
    public static func command(_ executable: String, _ args: [String], input: [UInt8]? = nil,
                               environment: [String: String] = [:], stdinFile: String? = nil) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inPipe = Pipe()
        if let stdinFile {
            process.standardInput = FileHandle(forReadingAtPath: stdinFile)
        } else if input != nil {
            process.standardInput = inPipe
        } else {
            process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        }
        try process.run()
        // Drain stderr on another thread so a chatty process never blocks on a full pipe.
        let errBox = Box()
        let errThread = Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        errThread.start()
        if let input {
            let writer = Thread {
                inPipe.fileHandleForWriting.write(Data(input))
                try? inPipe.fileHandleForWriting.close()
            }
            writer.start()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errBox.wait()
        return CommandResult(status: process.terminationStatus, stdout: Array(stdout),
                             stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    /// Runs the workbook binary.
    public static func workbook(_ args: [String], input: [UInt8]? = nil, environment: [String: String] = [:]) throws -> CommandResult {
        try command(WorkbookBinary.path, args, input: input, environment: environment)
    }

    /// Finds a tool on PATH.
    public static func which(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

/// A value filled by a thread and waited for.
final class Box: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    var data = Data() { didSet { done.signal() } }
    func wait() { done.wait() }
}
