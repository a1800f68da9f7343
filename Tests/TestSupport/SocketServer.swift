import Foundation

/// A `workbook serve --socket` process for a test, ready when its "listening on" line appears.
public final class SocketServer: @unchecked Sendable {
    /// The process.
    public let process = Process()
    /// The socket path.
    public let socketPath: String
    /// The database path.
    public let databasePath: String
    private let lock = NSLock()
    private var stderrText = ""
    private let ready = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)
    /// With `stdio: true`: the server's stdin (write requests here) and stdout (read replies here).
    public let stdinPipe = Pipe(), stdoutPipe = Pipe()

    /// Everything the server wrote on stderr so far.
    public var stderr: String { lock.lock(); defer { lock.unlock() }; return stderrText }

    /// Starts the server in `dir` with extra arguments; waits (without sleeping) until it listens
    /// or exits. `arguments` replaces everything after `serve` (then `socket` names the path the
    /// server is expected to pick). `stdio` connects stdin and stdout to pipes instead of /dev/null.
    public init(dir: TempDir, socket: String? = nil, database: String? = nil, extra: [String] = [],
                environment: [String: String] = [:], arguments: [String]? = nil, stdio: Bool = false) throws {
        socketPath = socket ?? dir.file("run/wb.sock")
        databasePath = database ?? dir.file("db.sqlite")
        process.executableURL = URL(fileURLWithPath: WorkbookBinary.path)
        process.arguments = ["serve"] + (arguments ?? ["--socket", socketPath, "--database", databasePath, "--log-level", "info"] + extra)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let err = Pipe()
        process.standardError = err
        process.standardOutput = stdio ? stdoutPipe : FileHandle(forWritingAtPath: "/dev/null")
        process.standardInput = stdio ? stdinPipe : FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        let handle = err.fileHandleForReading
        Thread { [self] in
            var signalled = false
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock()
                stderrText += String(decoding: chunk, as: UTF8.self)
                let isReady = stderrText.contains("listening on")
                lock.unlock()
                if isReady, !signalled { signalled = true; ready.signal() }
            }
            if !signalled { ready.signal() }
            exited.signal()
        }.start()
        ready.wait()
        guard process.isRunning, stderr.contains("listening on") else {
            throw SocketServerFailure(description: "server did not start: \(stderr)")
        }
    }

    /// Sends SIGTERM and waits for the exit status.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        exited.wait()
        exited.signal()
        return process.terminationStatus
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
}

/// The server failed to start.
public struct SocketServerFailure: Error, CustomStringConvertible {
    /// Why.
    public let description: String
    /// A failure saying why.
    public init(description: String) { self.description = description }
}
