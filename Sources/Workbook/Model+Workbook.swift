import Foundation

/// One entry of `workbooks.list`.
public struct WorkbookSummary: Codable, Sendable, Equatable {
    /// Workbook id.
    public var id: String
    /// Pack version (semver).
    public var version: String
    /// Title.
    public var title: String
    /// One-paragraph summary.
    public var summary: String
    /// Where the text comes from (absent when the pack has none).
    public var attribution: Attribution?
    /// Number of section items, nested ones included.
    public var sectionCount: Int
    /// Number of prompts.
    public var promptCount: Int
}

/// `workbooks.get`: the pack as served, its items (sections, contexts, prompts) in reading order.
public struct WorkbookDocument: Codable, Sendable, Equatable {
    /// Workbook id.
    public var id: String
    /// Pack version (semver).
    public var version: String
    /// Title.
    public var title: String
    /// One-paragraph summary.
    public var summary: String
    /// BCP 47 language tag.
    public var language: String
    /// Where the text comes from.
    public var attribution: Attribution?
    /// Number of section items, nested ones included.
    public var sectionCount: Int
    /// Number of prompts.
    public var promptCount: Int
    /// Top-level items in reading order, in the pack item shape.
    public var items: [PackItem]
}

/// A section reference: id and title.
public struct SectionRef: Codable, Sendable, Equatable {
    /// Section id (the workbook id for prompts outside any section).
    public var id: String
    /// Section title ("" when it has none; the workbook title for the workbook itself).
    public var title: String
}

/// `prompts.get` / `prompts.next`: a prompt with everything needed to answer it.
///
/// Keys: `workbookId`, `prompt` (pack item), `section` `{id, title}`, `leadPrompt` (pack item, absent
/// unless a sub-question), `contexts` (the pack items named by `contextIds`, in that order), `number`
/// (1-based position in reading order), `total` (prompts in the workbook), `passId` (the pass read,
/// null when none), `answer` (current answer in that pass, null when none), `earlierAnswers`
/// (answers to this prompt in passes of the same workbook started before that pass, newest first, at
/// most `earlierLimit` of them) and `earlierMore` (whether older ones exist beyond those).
public struct PromptView: Codable, Sendable, Equatable {
    /// The workbook holding the prompt.
    public var workbookId: String
    /// The prompt item.
    public var prompt: PackItem
    /// Its innermost section.
    public var section: SectionRef
    /// The lead prompt of a sub-question.
    public var leadPrompt: PackItem?
    /// The context items framing the prompt.
    public var contexts: [PackItem]
    /// 1-based position in reading order.
    public var number: Int
    /// Prompts in the workbook.
    public var total: Int
    /// The pass the answer was read from; null when the workbook has no pass.
    public var passId: String?
    /// The current answer; null when none.
    public var answer: Answer?
    /// Answers in earlier passes, newest first (a bounded page).
    public var earlierAnswers: [Answer]
    /// True when answers in passes older than the last of `earlierAnswers` exist.
    public var earlierMore: Bool

    private enum CodingKeys: String, CodingKey {
        case workbookId, prompt, section, leadPrompt, contexts, number, total, passId, answer, earlierAnswers, earlierMore
    }

    /// Encodes `passId` and `answer` as explicit nulls, `leadPrompt` only when present, `earlierMore` always.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(workbookId, forKey: .workbookId)
        try c.encode(prompt, forKey: .prompt)
        try c.encode(section, forKey: .section)
        try c.encodeIfPresent(leadPrompt, forKey: .leadPrompt)
        try c.encode(contexts, forKey: .contexts)
        try c.encode(number, forKey: .number)
        try c.encode(total, forKey: .total)
        try c.encode(passId, forKey: .passId)
        try c.encode(answer, forKey: .answer)
        try c.encode(earlierAnswers, forKey: .earlierAnswers)
        try c.encode(earlierMore, forKey: .earlierMore)
    }
}
