#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging

/// Watches one file in a directory with inotify (DispatchSource file watches do not exist on
/// Linux). A thread blocks in `read` on the inotify descriptor: no CPU while nothing happens.
final class FileWatcher: @unchecked Sendable {
    private let fd: Int32
    private let onChange: @Sendable () -> Void

    /// Starts watching `directory` for writes to `fileName`; nil where inotify is unavailable.
    init?(directory: String, fileName: String, logger: Logger, onChange: @escaping @Sendable () -> Void) {
        #if os(Linux)
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { logger.warning("inotify unavailable: \(String(cString: strerror(errno)))"); return nil }
        let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE)
        guard inotify_add_watch(fd, directory, mask) >= 0 else {
            logger.warning("cannot watch \(directory): \(String(cString: strerror(errno)))")
            close(fd)
            return nil
        }
        self.fd = fd
        self.onChange = onChange
        let name = fileName
        Thread.detachNewThread { [self] in run(watching: name) }
        #else
        return nil
        #endif
    }

    #if os(Linux)
    private func run(watching name: String) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        let headerSize = MemoryLayout<inotify_event>.size
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return }
            var offset = 0
            var relevant = false
            while offset + headerSize <= n {
                let (len, eventName) = buffer.withUnsafeBytes { raw -> (Int, String) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let nameBytes = raw[(offset + headerSize)..<(offset + headerSize + Int(event.len))]
                    return (Int(event.len), String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self))
                }
                if eventName == name { relevant = true }
                offset += headerSize + len
            }
            if relevant { onChange() }
        }
    }
    #endif
}
