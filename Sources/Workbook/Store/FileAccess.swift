import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File-system steps around the database: private directories and files, no symlink following.
enum FileAccess {
    /// Creates the parent directory (0700) and an empty database file (0600) when missing.
    static func prepareDatabaseFile(_ path: String) throws(WorkbookError) {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) {
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw fileError(errno == 0 ? EACCES : errno, "cannot create directory \(dir)")
            }
        }
        var info = stat()
        if lstat(path, &info) == 0 {
            // SQLite would silently open a read-only file read-only, and fail obscurely on the WAL files.
            if access(path, W_OK) != 0 { throw fileError(errno, "database \(path) is not writable") }
            if access(path + "-wal", F_OK) != 0, access(dir.isEmpty ? "." : dir, W_OK) != 0 {
                throw fileError(errno, "directory \(dir) is not writable (the WAL files live there)")
            }
            return
        }
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { return }
            throw fileError(errno, "cannot create \(path)")
        }
        close(fd)
    }

    /// Creates a new empty file (0600) at `path`, never following a symlink and never reusing a file
    /// unless `force` (then a regular file is replaced; a symlink or directory never is).
    static func createExclusive(_ path: String, force: Bool) throws(WorkbookError) {
        var info = stat()
        if lstat(path, &info) == 0 {
            let type = info.st_mode & S_IFMT
            guard type == S_IFREG else {
                throw .invalidArgument(field: "path", reason: "\(path) exists and is not a regular file")
            }
            guard force else { throw .invalidArgument(field: "path", reason: "\(path) exists (use force to replace it)") }
            if unlink(path) != 0 { throw fileError(errno, "cannot replace \(path)") }
        }
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 { throw fileError(errno, "cannot create \(path)") }
        close(fd)
    }

    /// A file's device and inode: the same path naming another file means it was replaced.
    struct Identity: Equatable, Sendable {
        let device: UInt64
        let inode: UInt64
    }

    /// The identity of the file at `path`, nil when there is none.
    static func identity(_ path: String) -> Identity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Maps an errno to a domain error.
    static func fileError(_ code: Int32, _ what: String) -> WorkbookError {
        let reason = "\(what): \(String(cString: strerror(code)))"
        switch code {
        case EACCES, EPERM, EROFS: return .readOnly(reason: reason)
        case ENOSPC, EDQUOT: return .storageFailure(kind: .storageFull, reason: reason)
        default: return .storageFailure(kind: .storageIO, reason: reason)
        }
    }
}
