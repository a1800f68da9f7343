import Foundation
import GRDB

extension WorkbookStore {
    /// Copies the live database to a new single file at `path` (0600, rollback journal) with SQLite's
    /// online backup API, safe while others write. Refuses an existing path unless `force` (a symlink or non-file: never).
    public func backup(to path: String, force: Bool = false) throws(WorkbookError) {
        try FileAccess.createExclusive(path, force: force)
        do {
            let destination = try DatabaseQueue(path: path)
            try writer.backup(to: destination)
            // The copied header says WAL; a backup is one self-contained file.
            try destination.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try destination.close()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw StorageErrors.map(error)
        }
    }

    /// Replaces the database at `path` (created when missing) with the backup at `backupPath`, through
    /// the online backup API so running servers on `path` see the restored data, under a fresh
    /// databaseId: its change log restarts at the backup's cursor, so clients' cursors are void.
    /// The backup must open, pass `integrity_check` and hold our schema; otherwise nothing changes.
    public static func restore(from backupPath: String, into path: String,
                               catalog: WorkbookCatalog = .standard) throws(WorkbookError) {
        var info = stat()
        guard lstat(backupPath, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw .invalidArgument(field: "path", reason: "\(backupPath) is not a regular file")
        }
        let source: DatabaseQueue
        do {
            var config = Configuration()
            config.readonly = true
            source = try DatabaseQueue(path: backupPath, configuration: config)
            try source.read { db in try validateBackup(db) }
        } catch {
            throw StorageErrors.map(error)
        }
        let target = try open(path: path, catalog: catalog)
        do {
            // Migrated and re-identified in memory first, so the live file changes in one step: a
            // server never sees the backup's data under the old id, or an unmigrated schema.
            let staged = try DatabaseQueue()
            try source.backup(to: staged)
            try source.close()
            try Migrations.migrator.migrate(staged)
            try staged.write { db in
                try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'databaseId'", arguments: [RandomID.make()])
            }
            try staged.backup(to: target.writer)
        } catch {
            throw StorageErrors.map(error)
        }
        try target.scrubFiles()
    }

    /// Throws unless `db` is intact and holds a workbook database.
    private static func validateBackup(_ db: Database) throws {
        let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
        guard check == ["ok"] else {
            throw WorkbookError.storageFailure(kind: .storageCorrupt, reason: "integrity_check: \(check.prefix(3).joined(separator: "; "))")
        }
        for table in Migrations.requiredTables where try !db.tableExists(table) {
            throw WorkbookError.invalidArgument(field: "path", reason: "not a workbook database (no table \(table))")
        }
        guard try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'databaseId'") != nil else {
            throw WorkbookError.invalidArgument(field: "path", reason: "not a workbook database (no databaseId)")
        }
    }
}
