import Foundation

/// How `search` reads its query.
public enum SearchSyntax: String, Codable, Sendable, Equatable {
    /// Every whitespace-separated token is quoted, so punctuation is literal (default).
    case words
    /// The query is FTS5 syntax, passed through.
    case fts5
}

/// What a search hit points at.
public enum SearchHitKind: String, Codable, Sendable, Equatable {
    /// A current answer.
    case answer
    /// A prompt's text.
    case prompt
}

/// One search hit.
///
/// `{kind, workbookId, promptId, passId?, revision?, status?, snippet, rank, score}`: `passId`,
/// `revision` and `status` are present for answer hits only. `snippet` is HTML: matches are wrapped in
/// `<mark>…</mark>`, every other character is escaped (`&`, `<`, `>`, `"`, `'`). `rank` is the 1-based
/// position in the result; `score` is SQLite's bm25 (lower is more relevant).
public struct SearchHit: Codable, Sendable, Equatable {
    /// answer or prompt.
    public var kind: SearchHitKind
    /// The workbook.
    public var workbookId: String
    /// The prompt (answered, or matched).
    public var promptId: String
    /// The answer's pass.
    public var passId: String?
    /// The answer's revision.
    public var revision: Int?
    /// The answer's status.
    public var status: AnswerStatus?
    /// Escaped HTML with `<mark>` around matches.
    public var snippet: String
    /// 1-based position in the result.
    public var rank: Int
    /// bm25 score; lower is more relevant.
    public var score: Double
}

/// The result of `search`: hits, best first.
public struct SearchResult: Codable, Sendable, Equatable {
    /// Best first.
    public var hits: [SearchHit]
}
