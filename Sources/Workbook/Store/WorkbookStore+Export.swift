import Foundation
import GRDB

extension WorkbookStore {
    /// `export`. markdown: one workbook (`workbookId`, else the pass's, else the default) and one pass
    /// (`passId`, else the newest; none = the blank workbook) as a printable string. json: the lossless
    /// document of `passId` only, else every pass of `workbookId`, else every pass in the database.
    public func export(_ params: ExportParams) throws(WorkbookError) -> ExportResult {
        if let id = params.workbookId { try requireWorkbook(id) }
        let now = timestamp()
        let databaseId = self.databaseId
        return try read { db in
            switch params.format {
            case .markdown:
                let (workbookId, pass) = try resolveWorkbook(db, workbookId: params.workbookId, passId: params.passId)
                let answers = try pass.map { try fetchAnswers(db, passId: $0.id) } ?? [:]
                return ExportResult(format: .markdown, content: .markdown(markdown(workbookId, pass: pass, answers: answers)))
            case .json:
                var sql = "SELECT \(Rows.passColumns) FROM passes"
                var args: StatementArguments = []
                if let passId = params.passId {
                    let pass = try requirePass(db, passId)
                    if let id = params.workbookId { try checkPass(pass, belongsTo: id) }
                    sql += " WHERE id = ?"; args = [passId]
                } else if let id = params.workbookId {
                    sql += " WHERE workbookId = ?"; args = [id]
                }
                let passes = try Row.fetchAll(db, sql: sql + " ORDER BY startedAt, rowid", arguments: args).map(Rows.pass)
                let exported = try passes.map { pass in
                    ExportPass(id: pass.id, workbookId: pass.workbookId, title: pass.title, startedAt: pass.startedAt,
                               closedAt: pass.closedAt, revisions: try Row.fetchAll(db, sql: """
                                   SELECT \(Rows.revisionColumns) FROM revisions WHERE passId = ? ORDER BY promptId, revision
                                   """, arguments: [pass.id]).map(Rows.revision))
                }
                var seen = Set<String>()
                let workbooks = passes.compactMap { pass -> ExportWorkbook? in
                    guard seen.insert(pass.workbookId).inserted, let pack = catalog.pack(pass.workbookId) else { return nil }
                    return ExportWorkbook(id: pack.id, version: pack.version, title: pack.title)
                }
                let document = ExportDocument(format: ExportDocument.formatName, formatVersion: ExportDocument.currentVersion,
                                              databaseId: databaseId, exportedAt: now, workbooks: workbooks, passes: exported)
                return ExportResult(format: .json, content: .json(document))
            }
        }
    }

    /// The current answers of a pass, by prompt id.
    func fetchAnswers(_ db: Database, passId: String) throws -> [String: Answer] {
        let answers = try Row.fetchAll(db, sql: "SELECT \(Rows.answerColumns) FROM answers WHERE passId = ?",
                                       arguments: [passId]).map(Rows.answer)
        return Dictionary(answers.map { ($0.promptId, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Title, attribution, then every section, context, prompt (as a quote) and answer in reading order.
    func markdown(_ workbookId: String, pass: Pass?, answers: [String: Answer]) -> String {
        guard let pack = catalog.pack(workbookId) else { return "" }
        var out = "# \(pack.title)\n\n"
        if let a = pack.attribution {
            out += "*\(a.title)*\n\n"
            if let source = a.source { out += "\(source)\n\n" }
            if let note = a.note { out += "\(note)\n\n" }
        }
        if let pass {
            let name = pass.title.map { "\($0) (\(pass.id))" } ?? pass.id
            out += "Pass \(name), started \(pass.startedAt)" + (pass.closedAt.map { ", closed \($0)" } ?? "") + ".\n\n"
        }
        func walk(_ items: [PackItem], depth: Int) {
            for item in items {
                switch item.kind {
                case .section:
                    out += String(repeating: "#", count: min(depth + 2, 6)) + " " + (item.title ?? item.text) + "\n\n"
                    if item.title != nil && !item.text.isEmpty { out += item.text + "\n\n" }
                    walk(item.items ?? [], depth: depth + 1)
                case .context:
                    out += item.text + "\n\n"
                case .prompt:
                    out += Self.quote(item.text)
                    if let guidance = item.guidance { out += ">\n" + Self.quote("*" + guidance + "*") }
                    out += "\n" + Self.answerMarkdown(answers[item.id]) + "\n\n"
                }
            }
        }
        walk(pack.items, depth: 0)
        return out
    }

    static func quote(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }.joined(separator: "\n") + "\n"
    }

    static func answerMarkdown(_ answer: Answer?) -> String {
        guard let answer else { return "*No answer yet.*" }
        switch answer.status {
        case .skipped: return "*Skipped.*"
        case .draft: return answer.text + "\n\n*(draft)*"
        case .final: return answer.text
        }
    }
}
