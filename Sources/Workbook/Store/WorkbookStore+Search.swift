import Foundation
import GRDB

extension WorkbookStore {
    /// `search`: full-text search over current answers (every pass unless `passId`) and prompt texts
    /// (of loaded workbooks), ranked by bm25 (FTS5 `rank`), at most `limit` (default 20, capped at 100) hits.
    /// Answers are ranked among the `rankedAnswers` most recently created matches.
    /// `words` syntax quotes every whitespace-separated token; `fts5` passes the query through and
    /// reports a syntax error as `invalidArgument(field: "query")`.
    public func search(_ params: SearchParams, rankedAnswers: Int = WorkbookStore.rankedAnswers) throws(WorkbookError) -> SearchResult {
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
                var hits = try answerHits(db, match: match, params: params, limit: limit, window: rankedAnswers)
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

    /// At most this many matching answers, the most recently created, are ranked by bm25 (all of
    /// them when there are fewer). FTS5 computes bm25 for every row it ranks, so without a bound a
    /// common word costs time in proportion to the whole archive; with it the ranking work stays
    /// the same as the database grows (BENCHMARKS.md, finding 25).
    public static let rankedAnswers = 1_000

    private func answerHits(_ db: Database, match: String, params: SearchParams, limit: Int, window: Int) throws -> [SearchHit] {
        var filter = ""
        var filterArgs: StatementArguments = []
        if let id = params.workbookId { filter += " AND p.workbookId = ?"; filterArgs += [id] }
        if let id = params.passId {
            // A pass's answers were mostly created while it was open, so its rowid range is narrow
            // and FTS5 reads only that stretch of each doclist.
            filter += " AND a.passId = ? AND answers_fts.rowid BETWEEN ? AND ?"
            let range = try Row.fetchOne(db, sql: "SELECT min(id) AS lo, max(id) AS hi FROM answers WHERE passId = ?",
                                         arguments: [id])
            guard let lo: Int64 = range?["lo"], let hi: Int64 = range?["hi"] else { return [] }
            filterArgs += [id, lo, hi]
        }
        var windowArgs: StatementArguments = [match]
        windowArgs += filterArgs
        windowArgs += [window - 1]
        let oldest = try Int64.fetchOne(db.cachedStatement(sql: Self.searchWindowSQL(filter: filter)), arguments: windowArgs)
        var args: StatementArguments = [Self.markStart, Self.markEnd, match]
        args += filterArgs
        args += [oldest ?? Int64.min, limit]
        return try Row.fetchAll(db.cachedStatement(sql: Self.answerSearchSQL(filter: filter)), arguments: args).map { row in
            SearchHit(kind: .answer, workbookId: row["workbookId"], promptId: row["promptId"], passId: row["passId"],
                      revision: row["revision"], status: Rows.status(row["status"]),
                      snippet: Self.html(row["snip"]), rank: 0, score: row["score"])
        }
    }

    private static let searchJoins = " JOIN answers a ON a.id = answers_fts.rowid JOIN passes p ON p.id = a.passId"

    /// The ranking window: the rowid of the `window`-th newest match (none when there are fewer).
    /// Walking rowids newest first costs no bm25; the joins are only there to filter.
    /// Arguments: match, the filter's, window - 1.
    public static func searchWindowSQL(filter: String) -> String {
        """
        SELECT answers_fts.rowid FROM answers_fts\(filter.isEmpty ? "" : searchJoins) WHERE answers_fts MATCH ?\(filter)
        ORDER BY answers_fts.rowid DESC LIMIT 1 OFFSET ?
        """
    }

    /// The answer hits inside the window. FTS5's own `rank` (bm25) ordering hands rows over best
    /// first, so the join and the snippet run only for the rows kept, not for every match.
    /// Arguments: mark start, mark end, match, the filter's, the window's oldest rowid, limit.
    public static func answerSearchSQL(filter: String) -> String {
        """
        SELECT p.workbookId, a.promptId, a.passId, a.revision, a.status,
               snippet(answers_fts, 0, ?, ?, '…', 16) AS snip, answers_fts.rank AS score
        FROM answers_fts\(searchJoins) WHERE answers_fts MATCH ?\(filter) AND answers_fts.rowid >= ?
        ORDER BY answers_fts.rank LIMIT ?
        """
    }

    /// The prompt hits. Arguments: mark start, mark end, match, then workbookId when `byWorkbook`, limit.
    public static func promptSearchSQL(byWorkbook: Bool) -> String {
        """
        SELECT workbookId, promptId, snippet(prompts_fts, 2, ?, ?, '…', 16) AS snip, prompts_fts.rank AS score
        FROM prompts_fts WHERE prompts_fts MATCH ?\(byWorkbook ? " AND workbookId = ?" : "")
        ORDER BY prompts_fts.rank LIMIT ?
        """
    }

    private func promptHits(_ db: Database, match: String, params: SearchParams, limit: Int) throws -> [SearchHit] {
        var args: StatementArguments = [Self.markStart, Self.markEnd, match]
        let workbookId = try params.workbookId
            ?? params.passId.map { try requirePass(db, $0).workbookId }
        if let workbookId { args += [workbookId] }
        args += [limit]
        let sql = Self.promptSearchSQL(byWorkbook: workbookId != nil)
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: args).compactMap { row in
            let hit = SearchHit(kind: .prompt, workbookId: row["workbookId"], promptId: row["promptId"], passId: nil,
                                revision: nil, status: nil, snippet: Self.html(row["snip"]), rank: 0, score: row["score"])
            return catalog.prompt(hit.promptId)?.workbookId == hit.workbookId ? hit : nil
        }
    }

    /// The sentinels FTS5's `snippet` puts around a match (turned into `<mark>` by `html`); public for
    /// the benchmark's storage floor, which runs the same SQL.
    public static let markStart = "\u{E000}\u{E001}", markEnd = "\u{E001}\u{E000}"
    private static let markStartBytes = Array(markStart.utf8), markEndBytes = Array(markEnd.utf8)

    /// Quotes every whitespace-separated token as an FTS5 string (doubling `"`), so all are literal.
    static func quoteWords(_ query: String) -> String {
        query.split(whereSeparator: { $0.isWhitespace })
            .map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            .joined(separator: " ")
    }

    /// HTML-escapes a snippet and turns the sentinels around matches into `<mark>` tags, in one
    /// pass over the UTF-8 bytes (the escaped characters are ASCII, so they never occur inside a
    /// multi-byte sequence; Foundation's `replacingOccurrences` was 15 % of a search's samples).
    static func html(_ snippet: String) -> String {
        let (start, end) = (markStartBytes, markEndBytes)
        var out: [UInt8] = []
        out.reserveCapacity(snippet.utf8.count + 32)
        var bytes = snippet.utf8[...]
        while let byte = bytes.first {
            if byte == start[0], bytes.starts(with: start) {
                out += "<mark>".utf8; bytes = bytes.dropFirst(start.count); continue
            }
            if byte == end[0], bytes.starts(with: end) {
                out += "</mark>".utf8; bytes = bytes.dropFirst(end.count); continue
            }
            switch byte {
            case UInt8(ascii: "&"): out += "&amp;".utf8
            case UInt8(ascii: "<"): out += "&lt;".utf8
            case UInt8(ascii: ">"): out += "&gt;".utf8
            case UInt8(ascii: "\""): out += "&quot;".utf8
            case UInt8(ascii: "'"): out += "&#39;".utf8
            default: out.append(byte)
            }
            bytes = bytes.dropFirst()
        }
        return String(decoding: out, as: UTF8.self)
    }
}
