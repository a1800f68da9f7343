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

extension WorkbookError: CustomStringConvertible {
    /// One readable line, for people (start-up failures, the command line, logs).
    public var description: String {
        switch self {
        case let .workbookNotFound(id): return "no workbook '\(id)'"
        case let .promptNotFound(id): return "no prompt '\(id)'"
        case let .passNotFound(id): return "no pass '\(id)'"
        case let .revisionConflict(promptId, _, current, _): return "'\(promptId)' changed elsewhere (now revision \(current))"
        case let .answerTooLarge(_, bytes, limit): return "the answer is \(bytes) bytes; the limit is \(limit)"
        case let .packInvalid(file, reason): return "invalid pack \(file): \(reason)"
        case let .passClosed(id): return "pass '\(id)' is closed"
        case let .importInvalid(reason): return "invalid import document: \(reason)"
        case let .readOnly(reason): return "read-only: \(reason)"
        case let .storageFailure(kind, reason): return "storage failure (\(kind.rawValue)): \(reason)"
        case let .invalidArgument(field, reason): return "\(field): \(reason)"
        case let .itemFailed(index, error): return "item \(index): \(error)"
        }
    }
}
