import Foundation
import GRDB

extension WorkbookStore {
    /// `search`: full-text search over current answers (every pass unless `passId`) and prompt texts
    /// (of loaded workbooks), ranked by bm25 (FTS5 `rank`), at most `limit` (default 20, capped at 100) hits.
    /// `words` syntax quotes every whitespace-separated token; `fts5` passes the query through and
    /// reports a syntax error as `invalidArgument(field: "query")`.
    public func search(_ params: SearchParams) throws(WorkbookError) -> SearchResult {
        let query = params.query.trimmingCharacters(in: .whitespacesAndNewlines)
        if query.isEmpty { throw .invalidArgument(field: "query", reason: "must not be empty") }
        try checkNoNUL(query, field: "query")
        let limit = try Self.limit(params.limit, default: 20, max: 100)
        if let id = params.workbookId { try requireWorkbook(id) }
        let match = params.syntax == .fts5 ? query : Self.quoteWords(query)
        return try read { db in
            if let passId = params.passId {
                let pass = try requirePass(db, passId)
                if let id = params.workbookId { try checkPass(pass, belongsTo: id) }
            }
            do {
                var hits = try answerHits(db, match: match, params: params, limit: limit)
                hits += try promptHits(db, match: match, params: params, limit: limit)
                hits.sort { $0.score < $1.score }
                hits = Array(hits.prefix(limit))
                for i in hits.indices { hits[i].rank = i + 1 }
                return SearchResult(hits: hits)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
                throw WorkbookError.invalidArgument(field: "query", reason: "invalid FTS5 query: \(error.message ?? "syntax error")")
            }
        }
    }

    private func answerHits(_ db: Database, match: String, params: SearchParams, limit: Int) throws -> [SearchHit] {
        var sql = """
            SELECT p.workbookId, a.promptId, a.passId, a.revision, a.status,
                   snippet(answers_fts, 0, ?, ?, '…', 16) AS snip, answers_fts.rank AS score
            FROM answers_fts JOIN answers a ON a.id = answers_fts.rowid JOIN passes p ON p.id = a.passId
            WHERE answers_fts MATCH ?
            """
        var args: StatementArguments = [Self.markStart, Self.markEnd, match]
        if let id = params.workbookId { sql += " AND p.workbookId = ?"; args += [id] }
        if let id = params.passId { sql += " AND a.passId = ?"; args += [id] }
        // FTS5's own `rank` (bm25) ordering: the table hands rows over best first, so the join and
        // the snippet run only for the rows kept, not for every match (2-3x at 6 000 matches).
        sql += " ORDER BY answers_fts.rank LIMIT ?"
        args += [limit]
        return try Row.fetchAll(db, sql: sql, arguments: args).map { row in
            SearchHit(kind: .answer, workbookId: row["workbookId"], promptId: row["promptId"], passId: row["passId"],
                      revision: row["revision"], status: Rows.status(row["status"]),
                      snippet: Self.html(row["snip"]), rank: 0, score: row["score"])
        }
    }

    private func promptHits(_ db: Database, match: String, params: SearchParams, limit: Int) throws -> [SearchHit] {
        var sql = """
            SELECT workbookId, promptId, snippet(prompts_fts, 2, ?, ?, '…', 16) AS snip, prompts_fts.rank AS score
            FROM prompts_fts WHERE prompts_fts MATCH ?
            """
        var args: StatementArguments = [Self.markStart, Self.markEnd, match]
        let workbookId = try params.workbookId
            ?? params.passId.map { try requirePass(db, $0).workbookId }
        if let workbookId { sql += " AND workbookId = ?"; args += [workbookId] }
        sql += " ORDER BY prompts_fts.rank LIMIT ?"
        args += [limit]
        return try Row.fetchAll(db, sql: sql, arguments: args).compactMap { row in
            let hit = SearchHit(kind: .prompt, workbookId: row["workbookId"], promptId: row["promptId"], passId: nil,
                                revision: nil, status: nil, snippet: Self.html(row["snip"]), rank: 0, score: row["score"])
            return catalog.prompt(hit.promptId)?.workbookId == hit.workbookId ? hit : nil
        }
    }

    static let markStart = "\u{E000}\u{E001}"
    static let markEnd = "\u{E001}\u{E000}"

    /// Quotes every whitespace-separated token as an FTS5 string (doubling `"`), so all are literal.
    static func quoteWords(_ query: String) -> String {
        query.split(whereSeparator: { $0.isWhitespace })
            .map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            .joined(separator: " ")
    }

    /// HTML-escapes a snippet, then turns the sentinels around matches into `<mark>` tags.
    static func html(_ snippet: String) -> String {
        var out = ""
        out.reserveCapacity(snippet.utf8.count)
        for ch in snippet {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out.replacingOccurrences(of: markStart, with: "<mark>").replacingOccurrences(of: markEnd, with: "</mark>")
    }
}
