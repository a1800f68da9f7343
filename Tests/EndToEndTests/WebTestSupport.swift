import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `workbook serve --http 127.0.0.1:0` (or another `--http` value), ready once its URL line is read
/// from stderr.
final class WebServer {
    let process = Process()
    let runtimeDir: String
    private(set) var port = 0
    private(set) var token = ""
    private(set) var stderrLines: [String] = []

    /// Starts the server in `dir` (runtime dir `dir/run`) and reads stderr line by line until the
    /// ready URL appears; the rest of stderr is drained in the background. `http` is the value of
    /// `--http`; nil passes the bare flag, followed by `--database` (which must not become its value).
    init(dir: TempDir, http: String? = "127.0.0.1:0", extra: [String] = []) throws {
        runtimeDir = dir.file("run")
        process.executableURL = URL(fileURLWithPath: WorkbookBinary.path)
        process.arguments = ["serve"] + (http.map { ["--http", $0] } ?? ["--http"])
            + ["--database", dir.file("db.sqlite")] + extra
        process.environment = ProcessInfo.processInfo.environment.merging(["XDG_RUNTIME_DIR": runtimeDir]) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let reader = err.fileHandleForReading
        var pending = Data()
        while port == 0 {
            let chunk = reader.availableData  // blocks until bytes or EOF
            guard !chunk.isEmpty else { throw SocketServerFailure(description: "server exited: \(stderrLines)") }
            pending += chunk
            while let newline = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending = pending[(newline + 1)...]
                stderrLines.append(line)
                if let range = line.range(of: #"http://127\.0\.0\.1:\d+/\?token=[0-9a-f]+"#, options: .regularExpression) {
                    let url = URLComponents(string: String(line[range]))!
                    port = url.port!
                    token = url.queryItems!.first { $0.name == "token" }!.value!
                }
            }
        }
        Thread.detachNewThread { while !reader.availableData.isEmpty {} }
    }

    /// SIGTERM, then the exit status.
    func stop() -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
}

/// A blocking TCP client speaking just enough HTTP/1.1 and WebSocket (RFC 6455) for the tests.
final class WebClient {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); throw SocketServerFailure(description: "connect to port \(port) failed") }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)  // a safety net against a hung test, not a wait
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return }
            offset += n
        }
    }

    private func need(_ count: Int) -> Bool {
        while buffer.count < count {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { return false }
            buffer += chunk[..<n]
        }
        return true
    }

    private func take(_ count: Int) -> [UInt8] {
        defer { buffer.removeFirst(count) }
        return Array(buffer[..<count])
    }

    /// Sends a request and reads the response: status, headers (names lower-cased) and the body
    /// (by Content-Length; empty without one).
    func request(_ path: String, host: String, headers: [String: String] = [:], method: String = "GET")
        -> (status: Int, headers: [String: String], body: [UInt8]) {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        send(Array((text + "\r\n").utf8))
        var end = 0
        while true {
            if let range = buffer.firstRange(of: Array("\r\n\r\n".utf8)) { end = range.upperBound; break }
            guard need(buffer.count + 1) else { return (0, [:], []) }
        }
        let lines = String(decoding: take(end), as: UTF8.self).components(separatedBy: "\r\n")
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body: [UInt8] = []
        if let length = fields["content-length"].flatMap(Int.init), need(length) { body = take(length) }
        return (Int(lines[0].split(separator: " ")[1]) ?? 0, fields, body)
    }

    static let upgradeHeaders = ["Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                                 "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="]

    /// Sends one masked frame (text unless `opcode` says otherwise).
    func sendFrame(_ payload: [UInt8], opcode: UInt8 = 1) {
        var frame: [UInt8] = [0x80 | opcode]
        switch payload.count {
        case ..<126: frame.append(0x80 | UInt8(payload.count))
        case ..<65536: frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xff)]
        default: frame.append(0x80 | 127); frame += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xff) }
        }
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        send(frame)
    }

    /// Sends a text message.
    func sendText(_ text: String) { sendFrame(Array(text.utf8)) }

    /// Reads one frame: opcode and payload; nil at EOF.
    func readFrame() -> (opcode: UInt8, payload: [UInt8])? {
        guard need(2) else { return nil }
        let head = take(2)
        var length = Int(head[1] & 0x7f)
        if length == 126 { guard need(2) else { return nil }; length = take(2).reduce(0) { $0 << 8 | Int($1) } }
        if length == 127 { guard need(8) else { return nil }; length = take(8).reduce(0) { $0 << 8 | Int($1) } }
        guard need(length) else { return nil }
        return (head[0] & 0x0f, take(length))
    }

    /// Reads the next text message (skipping pongs); nil at EOF or on a close frame.
    func readText() -> String? {
        while let frame = readFrame() {
            if frame.opcode == 1 { return String(decoding: frame.payload, as: UTF8.self) }
            if frame.opcode == 8 { return nil }
        }
        return nil
    }
}
