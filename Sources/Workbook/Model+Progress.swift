import Foundation

/// The agreed name; outside this module it clashes with `Foundation.Progress`: write `Workbook.Progress`
/// or `WorkbookProgress` there.
public typealias Progress = WorkbookProgress

/// Progress through one pass of a workbook (`progress.get`). Every key is always present.
public struct WorkbookProgress: Codable, Sendable, Equatable {
    /// The workbook.
    public var workbookId: String
    /// The pass counted; null when the workbook has no pass yet (then every count is 0).
    public var passId: String?
    /// Prompts in the current pack.
    public var total: Int
    /// Prompts whose current status is final.
    public var answered: Int
    /// Prompts whose current status is draft.
    public var drafts: Int
    /// Prompts skipped.
    public var skipped: Int
    /// total − answered − skipped; 0 exactly when `nextPromptId` is null.
    public var remaining: Int
    /// floor(100 × answered / total).
    public var percent: Int
    /// Words of the current non-skipped answers.
    public var words: Int
    /// Per section (innermost section holding prompts), in reading order.
    public var sections: [SectionProgress]
    /// The first open prompt in reading order; null when none is open.
    public var nextPromptId: String?
    /// The newest `updatedAt` of the pass's answers; null when none.
    public var lastActivityAt: String?

    /// Memberwise initializer.
    public init(workbookId: String, passId: String?, total: Int, answered: Int, drafts: Int, skipped: Int,
                remaining: Int, percent: Int, words: Int, sections: [SectionProgress],
                nextPromptId: String?, lastActivityAt: String?) {
        self.workbookId = workbookId; self.passId = passId; self.total = total; self.answered = answered
        self.drafts = drafts; self.skipped = skipped; self.remaining = remaining; self.percent = percent
        self.words = words; self.sections = sections; self.nextPromptId = nextPromptId
        self.lastActivityAt = lastActivityAt
    }

    private enum CodingKeys: String, CodingKey {
        case workbookId, passId, total, answered, drafts, skipped, remaining, percent, words, sections
        case nextPromptId, lastActivityAt
    }

    /// Encodes every key, with explicit nulls.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(workbookId, forKey: .workbookId)
        try c.encode(passId, forKey: .passId)
        try c.encode(total, forKey: .total)
        try c.encode(answered, forKey: .answered)
        try c.encode(drafts, forKey: .drafts)
        try c.encode(skipped, forKey: .skipped)
        try c.encode(remaining, forKey: .remaining)
        try c.encode(percent, forKey: .percent)
        try c.encode(words, forKey: .words)
        try c.encode(sections, forKey: .sections)
        try c.encode(nextPromptId, forKey: .nextPromptId)
        try c.encode(lastActivityAt, forKey: .lastActivityAt)
    }
}

/// Progress through one section of a pass.
public struct SectionProgress: Codable, Sendable, Equatable {
    /// Section id (the workbook id for prompts outside any section).
    public var id: String
    /// Section title ("" when it has none).
    public var title: String
    /// Prompts directly in this section.
    public var total: Int
    /// Of those, final.
    public var answered: Int
    /// Of those, draft.
    public var drafts: Int
    /// Of those, skipped.
    public var skipped: Int

    /// Memberwise initializer.
    public init(id: String, title: String, total: Int, answered: Int, drafts: Int, skipped: Int) {
        self.id = id; self.title = title; self.total = total; self.answered = answered
        self.drafts = drafts; self.skipped = skipped
    }
}
