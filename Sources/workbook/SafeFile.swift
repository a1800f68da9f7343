import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files the way a private journal needs: 0600, never through a symlink, no silent overwrite.
enum SafeFile {
    static func write(_ data: Data, to path: String, force: Bool) throws {
        var info = stat()
        if lstat(path, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFLNK { throw CLIError(exitCode: 1, message: "workbook: \(path) is a symbolic link; refusing to write through it") }
            if !force { throw CLIError(exitCode: 1, message: "workbook: \(path) exists; add --force to overwrite it") }
            if info.st_mode & S_IFMT != S_IFREG || info.st_uid != geteuid() {
                throw CLIError(exitCode: 1, message: "workbook: \(path) is not a regular file of yours; refusing to write into it")
            }
        }
        let flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (force ? O_TRUNC : O_EXCL)
        let fd = open(path, flags, 0o600)
        guard fd >= 0 else { throw CLIError(exitCode: 1, message: "workbook: cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        // O_TRUNC keeps an existing file's mode: make an overwritten file as private as a new one.
        if force, fchmod(fd, 0o600) != 0 {
            throw CLIError(exitCode: 1, message: "workbook: cannot make \(path) private: \(String(cString: strerror(errno)))")
        }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { throw CLIError(exitCode: 1, message: "workbook: writing \(path) failed: \(String(cString: strerror(errno)))") }
                offset += n
            }
        }
    }
}
