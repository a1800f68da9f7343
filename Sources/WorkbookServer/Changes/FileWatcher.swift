#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging

/// Watches one file in a directory with inotify (DispatchSource file watches do not exist on
/// Linux). A thread blocks in `poll` on the inotify descriptor: no CPU while nothing happens.
///
/// SQLite writes a commit's last WAL frame (the IN_MODIFY we see) before it fsyncs and publishes
/// the commit in the mmapped -shm index, which fires no event; a read at once can miss it, and
/// with no later write nothing would wake us again. So after the last event of a burst the
/// watcher calls again at each of `trailingDelays`, then sleeps until the next event.
final class FileWatcher: @unchecked Sendable {
    private let fd: Int32
    private let onChange: @Sendable () -> Void
    private let directory: String
    private let lock = NSLock()
    /// The inotify watch while active, -1 while not (see `setActive`).
    private var watch: Int32 = -1
    /// Milliseconds after the last event at which `onChange` runs again (a slow fsync gets the later ones).
    static let trailingDelays: [UInt64] = [20, 250, 1000]

    private static let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE)

    /// Starts watching `directory` for writes to `fileName` (active until `setActive(false)`); nil
    /// where inotify is unavailable.
    init?(directory: String, fileName: String, logger: Logger, onChange: @escaping @Sendable () -> Void) {
        #if os(Linux)
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { logger.warning("inotify unavailable: \(String(cString: strerror(errno)))"); return nil }
        let watch = inotify_add_watch(fd, directory, Self.mask)
        guard watch >= 0 else {
            logger.warning("cannot watch \(directory): \(String(cString: strerror(errno)))")
            close(fd)
            return nil
        }
        self.fd = fd
        self.watch = watch
        self.directory = directory
        self.onChange = onChange
        let name = fileName
        Thread.detachNewThread { [self] in run(watching: name) }
        #else
        return nil
        #endif
    }

    /// Watches while `active`; unwatched, writes to the directory cost this thread nothing.
    func setActive(_ active: Bool) {
        #if os(Linux)
        lock.withLock {
            if active, watch < 0 {
                watch = inotify_add_watch(fd, directory, Self.mask)
            } else if !active, watch >= 0 {
                inotify_rm_watch(fd, watch)
                watch = -1
            }
        }
        #endif
    }

    #if os(Linux)
    private static func nowMilliseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds / 1_000_000 }

    private func run(watching name: String) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var trailing: [UInt64] = []  // due times (ms), ascending; empty when idle
        while true {
            let now = Self.nowMilliseconds()
            let timeout = trailing.first.map { Int32(clamping: $0 > now ? $0 - now : 0) } ?? -1
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if ready == 0 {
                let due = Self.nowMilliseconds()
                trailing.removeFirst()
                trailing.removeAll { $0 <= due }
                onChange()
                continue
            }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return }
            if Self.names(in: buffer, count: n).contains(name) {
                onChange()
                let last = Self.nowMilliseconds()
                trailing = Self.trailingDelays.map { last + $0 }
            }
        }
    }

    /// The file names of the inotify events in the first `count` bytes of `buffer`.
    private static func names(in buffer: [UInt8], count n: Int) -> Set<String> {
        let headerSize = MemoryLayout<inotify_event>.size
        var names: Set<String> = []
        var offset = 0
        while offset + headerSize <= n {
            let (len, eventName) = buffer.withUnsafeBytes { raw -> (Int, String) in
                let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                let nameBytes = raw[(offset + headerSize)..<(offset + headerSize + Int(event.len))]
                return (Int(event.len), String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self))
            }
            names.insert(eventName)
            offset += headerSize + len
        }
        return names
    }
    #endif
}
