import Foundation
import GRDB

/// The one place where SQLite and file-system errors become `WorkbookError`.
enum StorageErrors {
    /// Maps any error thrown inside a database access; `WorkbookError`s pass through unchanged.
    static func map(_ error: any Error) -> WorkbookError {
        if let error = error as? WorkbookError { return error }
        if let error = error as? DatabaseError { return map(error) }
        return .storageFailure(kind: .storageIO, reason: String(describing: error))
    }

    /// Maps an SQLite error by its primary result code.
    static func map(_ error: DatabaseError) -> WorkbookError {
        let reason = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_FULL: return .storageFailure(kind: .storageFull, reason: reason)
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .storageFailure(kind: .storageBusy, reason: reason)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return .storageFailure(kind: .storageCorrupt, reason: reason)
        case .SQLITE_READONLY: return .readOnly(reason: reason)
        default: return .storageFailure(kind: .storageIO, reason: reason)
        }
    }
}
