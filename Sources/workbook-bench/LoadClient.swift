#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Histogram

/// What one load run is asked to do.
struct LoadSpec: Sendable {
    var socket: String
    var connections = 8
    /// Requests in flight per connection (1 = strict request/reply).
    var window = 16
    var workload: Workload
    /// Stop issuing after this many measured requests (0: no count bound).
    var requests = 0
    /// Stop issuing after this many measured seconds (0: no time bound).
    var duration = 5.0
    /// Seconds of unmeasured traffic first.
    var warmup = 1.0
    /// Sample this process's RSS while running (the server).
    var serverPID: Int32?
}

/// What one load run measured.
struct LoadResult: Sendable {
    var spec: LoadSpec
    var elapsed: Double
    var completed: UInt64
    var errors: UInt64
    var firstError: String?
    var perKind: [Workload.Kind: Histogram<UInt64>]
    var all: Histogram<UInt64>
    var peakRSS: Double?
    var endRSS: Double?
    var load: String
    var throughput: Double { elapsed > 0 ? Double(completed) / elapsed : 0 }
}

/// A lean, single-threaded pipelining client: one poll() loop over every connection, requests
/// written in batches up to the window, NDJSON replies matched in order (the server answers each
/// connection in the order received). The same code drives the echo floor and the real server.
final class LoadClient {
    private final class Conn {
        let fd: Int32
        let index: Int
        var sentAt: [UInt64]
        var kinds: [Workload.Kind]
        var head = 0, tail = 0, inflight = 0
        var rbuf: [UInt8] = Array(repeating: 0, count: 1 << 16)
        var rlen = 0, scanFrom = 0
        var wbuf: [UInt8] = []
        var woff = 0
        var seq = 0
        init(fd: Int32, index: Int, window: Int) {
            self.fd = fd; self.index = index
            sentAt = Array(repeating: 0, count: window)
            kinds = Array(repeating: .ping, count: window)
            wbuf.reserveCapacity(4096)
        }
    }

    /// Connects `count` NDJSON connections to `path` (blocking connect, then non-blocking I/O).
    static func connect(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket(): \(String(cString: strerror(errno)))") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { throw BenchError("socket path too long") }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in raw.copyBytes(from: bytes); raw[bytes.count] = 0 }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            let reason = String(cString: strerror(errno)); close(fd)
            throw BenchError("cannot connect to \(path): \(reason)")
        }
        return fd
    }

    /// Waits until something accepts connections on `path` (a server starting up).
    static func waitForSocket(_ path: String, timeout: Double = 30) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let fd = try? connect(path) { close(fd); return }
            usleep(10_000)
        }
        throw BenchError("nothing listens on \(path) after \(Int(timeout)) s")
    }

    /// Runs one load and returns what it measured.
    static func run(_ spec: LoadSpec) throws -> LoadResult {
        var conns: [Conn] = []
        defer { for c in conns { close(c.fd) } }
        for i in 0..<spec.connections {
            let fd = try connect(spec.socket)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            conns.append(Conn(fd: fd, index: i, window: spec.window))
        }
        var perKind: [Workload.Kind: Histogram<UInt64>] = [:]
        for k in Set(spec.workload.sequence) { perKind[k] = makeHistogram() }
        var all = makeHistogram()
        var pollfds = conns.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        let seqLen = spec.workload.sequence.count

        let start = nowNanos()
        let measureFrom = start + UInt64(spec.warmup * 1e9)
        let stopAt = spec.duration > 0 ? measureFrom + UInt64(spec.duration * 1e9) : UInt64.max
        var measuredIssued = 0, completed: UInt64 = 0, errors: UInt64 = 0
        var firstError: String?
        var lastReply = measureFrom
        var issuing = true
        var peakRSS: Double?, endRSS: Double?
        var nextSample = start

        while true {
            let now = nowNanos()
            if issuing && (now >= stopAt || (spec.requests > 0 && measuredIssued >= spec.requests)) { issuing = false }
            if !issuing && conns.allSatisfy({ $0.inflight == 0 }) { break }
            if let pid = spec.serverPID, now >= nextSample {
                nextSample = now + 50_000_000
                if let r = ProcStats.rss(pid: pid) { peakRSS = r.peak; endRSS = r.current }
            }
            // Fill every window, then write what is buffered.
            for (i, c) in conns.enumerated() {
                if issuing {
                    while c.inflight < spec.window {
                        if spec.requests > 0 && now >= measureFrom && measuredIssued >= spec.requests { break }
                        let kind = spec.workload.sequence[(c.seq &+ c.index) % seqLen]
                        spec.workload.append(kind, seq: c.seq, conn: c.index, into: &c.wbuf)
                        c.seq += 1
                        c.kinds[c.tail] = kind
                        c.sentAt[c.tail] = now
                        c.tail = (c.tail + 1) % spec.window
                        c.inflight += 1
                        if now >= measureFrom { measuredIssued += 1 }
                    }
                }
                if c.woff < c.wbuf.count { try flush(c) }
                pollfds[i].events = Int16(POLLIN) | (c.woff < c.wbuf.count ? Int16(POLLOUT) : 0)
                pollfds[i].revents = 0
            }
            let n = poll(&pollfds, nfds_t(pollfds.count), 100)
            if n < 0 { if errno == EINTR { continue }; throw BenchError("poll: \(String(cString: strerror(errno)))") }
            for (i, c) in conns.enumerated() where pollfds[i].revents != 0 {
                if pollfds[i].revents & Int16(POLLOUT) != 0 { try flush(c) }
                guard pollfds[i].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 else { continue }
                if c.rlen == c.rbuf.count { c.rbuf += Array(repeating: 0, count: c.rbuf.count) }
                let got = c.rbuf.withUnsafeMutableBytes { read(c.fd, $0.baseAddress! + c.rlen, $0.count - c.rlen) }
                if got < 0 { if errno == EAGAIN || errno == EINTR { continue }; throw BenchError("read: \(String(cString: strerror(errno)))") }
                if got == 0 { throw BenchError("the server closed connection \(c.index) with \(c.inflight) replies owed") }
                c.rlen += got
                let t = nowNanos()
                // Every complete line is one reply, in request order.
                var lineStart = 0
                try c.rbuf.withUnsafeBufferPointer { buf in
                    var p = c.scanFrom
                    while p < c.rlen {
                        if buf[p] == UInt8(ascii: "\n") {
                            guard c.inflight > 0 else { throw BenchError("an unexpected line (a notification?) on connection \(c.index)") }
                            let sent = c.sentAt[c.head], kind = c.kinds[c.head]
                            c.head = (c.head + 1) % spec.window
                            c.inflight -= 1
                            if isError(buf, lineStart, p) {
                                errors += 1
                                if firstError == nil { firstError = String(decoding: buf[lineStart..<min(p, lineStart + 300)], as: UTF8.self) }
                            }
                            if sent >= measureFrom {
                                let v = t - sent
                                _ = all.record(v)
                                _ = perKind[kind]!.record(v)
                                completed += 1
                                lastReply = t
                            }
                            lineStart = p + 1
                        }
                        p += 1
                    }
                }
                if lineStart > 0 {
                    let rest = c.rlen - lineStart
                    if rest > 0 { c.rbuf.withUnsafeMutableBytes { b in _ = memmove(b.baseAddress!, b.baseAddress! + lineStart, rest) } }
                    c.rlen = rest
                }
                c.scanFrom = c.rlen
            }
        }
        if let pid = spec.serverPID, let r = ProcStats.rss(pid: pid) { peakRSS = r.peak; endRSS = r.current }
        let elapsed = Double(lastReply > measureFrom ? lastReply - measureFrom : 0) / 1e9
        return LoadResult(spec: spec, elapsed: elapsed, completed: completed, errors: errors, firstError: firstError,
                          perKind: perKind, all: all, peakRSS: peakRSS, endRSS: endRSS, load: ProcStats.load())
    }

    private static func flush(_ c: Conn) throws {
        while c.woff < c.wbuf.count {
            let n = c.wbuf.withUnsafeBytes { write(c.fd, $0.baseAddress! + c.woff, $0.count - c.woff) }
            if n < 0 {
                if errno == EAGAIN { return }
                if errno == EINTR { continue }
                throw BenchError("write: \(String(cString: strerror(errno)))")
            }
            c.woff += n
        }
        c.wbuf.removeAll(keepingCapacity: true)
        c.woff = 0
    }

    /// A reply is an error when its first key after `"id":…` is `"error"` (echoed requests count as fine).
    @inline(__always) private static func isError(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var p = start + 21 // past {"jsonrpc":"2.0","id":
        var inString = false
        while p + 2 < end {
            let b = buf[p]
            if b == UInt8(ascii: "\"") { inString.toggle() }
            if !inString && b == UInt8(ascii: ",") { return buf[p + 2] == UInt8(ascii: "e") }
            p += 1
        }
        return true
    }
}
