import Foundation

/// One run through a workbook; people return to the same questions in later passes.
public struct Pass: Codable, Sendable, Equatable {
    /// UUID string; imports merge passes across databases by it.
    public var id: String
    /// The workbook this pass answers.
    public var workbookId: String
    /// Optional human title, e.g. "Winter 2026".
    public var title: String?
    /// RFC 3339 UTC with milliseconds.
    public var startedAt: String
    /// When the pass was closed; absent while open.
    public var closedAt: String?

    /// Memberwise initializer.
    public init(id: String, workbookId: String, title: String?, startedAt: String, closedAt: String?) {
        self.id = id; self.workbookId = workbookId; self.title = title
        self.startedAt = startedAt; self.closedAt = closedAt
    }

    /// True while the pass accepts writes.
    public var isOpen: Bool { closedAt == nil }
}

/// One entry of an answer's append-only history.
public struct Revision: Codable, Sendable, Equatable {
    /// Globally unique id of this revision (imports merge by it).
    public var uuid: String
    /// The pass it belongs to.
    public var passId: String
    /// The prompt answered (may name a prompt that no longer exists in the pack).
    public var promptId: String
    /// 1-based number per (pass, prompt).
    public var revision: Int
    /// The text exactly as saved.
    public var text: String
    /// draft, final or skipped.
    public var status: AnswerStatus
    /// RFC 3339 UTC with milliseconds.
    public var at: String
    /// The client that wrote it.
    public var client: String
    /// The pack version the revision was written against.
    public var packVersion: String
    /// Why it was skipped or restored, when given (`answers.skip` reason, "restored from revision N").
    public var reason: String?

    /// Memberwise initializer.
    public init(uuid: String, passId: String, promptId: String, revision: Int, text: String,
                status: AnswerStatus, at: String, client: String, packVersion: String, reason: String?) {
        self.uuid = uuid; self.passId = passId; self.promptId = promptId; self.revision = revision
        self.text = text; self.status = status; self.at = at; self.client = client
        self.packVersion = packVersion; self.reason = reason
    }
}

/// The kinds of entry in the change log.
public enum ChangeType: String, Codable, Sendable, Equatable, CaseIterable {
    /// An answer was saved (new revision).
    case answerSaved = "answer.saved"
    /// An answer was skipped.
    case answerSkipped = "answer.skipped"
    /// An older revision was restored.
    case answerRestored = "answer.restored"
    /// An answer and its history were deleted.
    case answerDeleted = "answer.deleted"
    /// An import changed an answer.
    case answerImported = "answer.imported"
    /// A pass was started (explicitly, implicitly by a write, or by an import).
    case passStarted = "pass.started"
    /// A pass was closed.
    case passClosed = "pass.closed"
    /// A pass and all its answers were deleted.
    case passDeleted = "pass.deleted"
    /// Every answer and pass was erased (one change per affected workbook, `passId` null).
    case dataErased = "data.erased"
}

/// One entry of the change log. Never carries answer text.
public struct Change: Codable, Sendable, Equatable {
    /// Position in the log; only grows.
    public var cursor: Int64
    /// What happened.
    public var type: ChangeType
    /// The workbook concerned.
    public var workbookId: String
    /// The pass concerned; null only for `data.erased`.
    public var passId: String?
    /// The prompt concerned (answer changes only).
    public var promptId: String?
    /// The answer's revision after the change (absent for deletions and pass changes).
    public var revision: Int?
    /// The answer's status after the change (absent for deletions and pass changes).
    public var status: AnswerStatus?
    /// RFC 3339 UTC with milliseconds.
    public var at: String
    /// The client that made the change.
    public var client: String

    /// Memberwise initializer.
    public init(cursor: Int64, type: ChangeType, workbookId: String, passId: String?, promptId: String?,
                revision: Int?, status: AnswerStatus?, at: String, client: String) {
        self.cursor = cursor; self.type = type; self.workbookId = workbookId; self.passId = passId
        self.promptId = promptId; self.revision = revision; self.status = status; self.at = at
        self.client = client
    }

    private enum CodingKeys: String, CodingKey {
        case cursor, type, workbookId, passId, promptId, revision, status, at, client
    }

    /// Encodes `passId` always (null for `data.erased`); the other optionals only when present.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(cursor, forKey: .cursor)
        try c.encode(type, forKey: .type)
        try c.encode(workbookId, forKey: .workbookId)
        try c.encode(passId, forKey: .passId)
        try c.encodeIfPresent(promptId, forKey: .promptId)
        try c.encodeIfPresent(revision, forKey: .revision)
        try c.encodeIfPresent(status, forKey: .status)
        try c.encode(at, forKey: .at)
        try c.encode(client, forKey: .client)
    }
}

/// One page of the change log: `cursor` is the last returned cursor (or `since` when the page is empty).
public struct ChangesPage: Codable, Sendable, Equatable {
    /// Changes in cursor order.
    public var changes: [Change]
    /// Pass this as `since` to continue.
    public var cursor: Int64
}

/// The result of a delete: how many revisions were removed.
public struct DeleteResult: Codable, Sendable, Equatable {
    /// Revisions removed (each save, skip and restore is one).
    public var deleted: Int
}

/// The result of `answers.save`, `answers.skip` and `answers.restore`.
public struct AnswersSaveResult: Codable, Sendable, Equatable {
    /// The current answer after the call.
    public var answer: Answer
    /// Its revision (same as `answer.revision`, for clients that only track the number).
    public var revision: Int
    /// Memberwise initializer.
    public init(answer: Answer, revision: Int) { self.answer = answer; self.revision = revision }
}

/// The result of `answers.saveMany`: the answer after each item, in item order.
public struct AnswersSaveManyResult: Codable, Sendable, Equatable {
    /// One answer per item.
    public var answers: [Answer]
    /// Memberwise initializer.
    public init(answers: [Answer]) { self.answers = answers }
}
