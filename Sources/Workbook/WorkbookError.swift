import Foundation

/// Every failure the domain reports to a caller. Knows nothing of JSON-RPC: the server maps it once.
public enum WorkbookError: Error, Equatable, Sendable {
    /// No workbook with that id is loaded.
    case workbookNotFound(workbookId: String)
    /// No prompt with that id (also: the id names a context item or section).
    case promptNotFound(promptId: String)
    /// No pass with that id.
    case passNotFound(passId: String)
    /// `expectedRevision` did not match; `current` is the answer as stored now (nil when none).
    case revisionConflict(promptId: String, passId: String, currentRevision: Int, current: Answer?)
    /// The answer text is larger than the limit, in UTF-8 bytes.
    case answerTooLarge(promptId: String, bytes: Int, limit: Int)
    /// A pack failed validation.
    case packInvalid(file: String, reason: String)
    /// Writing to a closed pass.
    case passClosed(passId: String)
    /// An import document is not valid; nothing was imported.
    case importInvalid(reason: String)
    /// The database or file is read-only.
    case readOnly(reason: String)
    /// SQLite failed: full, busy, corrupt or I/O.
    case storageFailure(kind: StorageFailureKind, reason: String)
    /// A parameter's value is not acceptable (maps to -32602), e.g. U+0000 in text, unknown revision,
    /// a search syntax error, a wrong erase confirmation.
    case invalidArgument(field: String, reason: String)
    /// Item `index` (0-based) of a batch operation (`answers.saveMany`) failed with `error`; nothing stored.
    indirect case itemFailed(index: Int, error: WorkbookError)
}

/// Why storage failed.
public enum StorageFailureKind: String, Codable, Sendable, Equatable {
    /// The disk or the page limit is full.
    case storageFull
    /// Another process held the lock past the busy timeout.
    case storageBusy
    /// The database file is damaged.
    case storageCorrupt
    /// Any other I/O failure.
    case storageIO
}
