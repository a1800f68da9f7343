import Foundation

/// The status of an answer.
public enum AnswerStatus: String, Codable, Sendable, Equatable, CaseIterable {
    /// Work in progress.
    case draft
    /// The person considers it done.
    case final
    /// The person chose not to answer.
    case skipped
}

/// The current answer to one prompt in one pass.
public struct Answer: Codable, Sendable, Equatable {
    /// The prompt answered.
    public var promptId: String
    /// The pass it belongs to (a UUID string).
    public var passId: String
    /// The text exactly as sent.
    public var text: String
    /// draft, final or skipped.
    public var status: AnswerStatus
    /// 1 for the first save, +1 for every save, skip and restore.
    public var revision: Int
    /// RFC 3339 UTC with milliseconds.
    public var updatedAt: String
    /// The client name that wrote the current revision ("unknown" when none was given).
    public var client: String

    /// Memberwise initializer.
    public init(promptId: String, passId: String, text: String, status: AnswerStatus, revision: Int,
                updatedAt: String, client: String) {
        self.promptId = promptId; self.passId = passId; self.text = text; self.status = status
        self.revision = revision; self.updatedAt = updatedAt; self.client = client
    }
}
