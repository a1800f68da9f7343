import Foundation

/// A workbook pack: one JSON document holding a workbook's sections, context texts and prompts.
public struct Pack: Codable, Sendable, Equatable {
    /// Stable workbook id, e.g. `solidarity`.
    public var id: String
    /// Semantic version of the pack's content.
    public var version: String
    /// The workbook's title.
    public var title: String
    /// One-paragraph summary.
    public var summary: String
    /// BCP 47 language tag of the text.
    public var language: String
    /// Where the text comes from.
    public var attribution: Attribution?
    /// Top-level items in reading order (usually sections).
    public var items: [PackItem]

    /// Memberwise initializer.
    public init(id: String, version: String, title: String, summary: String, language: String,
                attribution: Attribution?, items: [PackItem]) {
        self.id = id; self.version = version; self.title = title; self.summary = summary
        self.language = language; self.attribution = attribution; self.items = items
    }
}

/// Where a pack's text comes from.
public struct Attribution: Codable, Sendable, Equatable {
    /// Title of the source work (Markdown allowed).
    public var title: String
    /// The larger work it is excerpted from, in Markdown, e.g. "An excerpt from the *X* toolkit".
    public var source: String?
    /// Free text, e.g. the pointer to further reading.
    public var note: String?

    /// Memberwise initializer.
    public init(title: String, source: String?, note: String?) {
        self.title = title; self.source = source; self.note = note
    }
}

/// The kinds of pack item.
public enum ItemKind: String, Codable, Sendable, Equatable {
    /// A group of items, read in order.
    case section
    /// A text that frames prompts; served, never answered.
    case context
    /// A question a person answers.
    case prompt
}

/// One section, context text or prompt of a pack.
public struct PackItem: Codable, Sendable, Equatable {
    /// Stable readable slug, unique across all loaded packs.
    public var id: String
    /// What this item is.
    public var kind: ItemKind
    /// Heading (sections; optional elsewhere).
    public var title: String?
    /// Body text in Markdown (the question itself, for a prompt).
    public var text: String
    /// Guidance shown with a prompt (Markdown).
    public var guidance: String?
    /// Child items in reading order (sections only).
    public var items: [PackItem]?
    /// For a sub-question: the id of its lead prompt.
    public var leadPromptId: String?
    /// For a prompt: the context items that frame it.
    public var contextIds: [String]?

    /// Memberwise initializer.
    public init(id: String, kind: ItemKind, title: String? = nil, text: String, guidance: String? = nil,
                items: [PackItem]? = nil, leadPromptId: String? = nil, contextIds: [String]? = nil) {
        self.id = id; self.kind = kind; self.title = title; self.text = text; self.guidance = guidance
        self.items = items; self.leadPromptId = leadPromptId; self.contextIds = contextIds
    }
}
