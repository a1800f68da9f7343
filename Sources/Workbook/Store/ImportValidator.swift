import Foundation

/// Checks a whole import document before anything is written; reasons name a JSON path.
enum ImportValidator {
    /// Decodes and validates `document`, or throws `importInvalid("passes[0].revisions[2].at: ...")`.
    static func validate(_ document: JSONValue, maxAnswerBytes: Int) throws(WorkbookError) -> ExportDocument {
        let decoded: ExportDocument
        do {
            decoded = try JSONDecoder().decode(ExportDocument.self, from: JSONEncoder().encode(document))
        } catch let error as DecodingError {
            throw .importInvalid(reason: describe(error))
        } catch {
            throw .importInvalid(reason: "\(error)")
        }
        try check(decoded, maxAnswerBytes: maxAnswerBytes)
        return decoded
    }

    private static func check(_ doc: ExportDocument, maxAnswerBytes: Int) throws(WorkbookError) {
        func fail(_ path: String, _ why: String) -> WorkbookError { .importInvalid(reason: "\(path): \(why)") }
        if doc.format != ExportDocument.formatName { throw fail("format", "expected \"\(ExportDocument.formatName)\"") }
        if doc.formatVersion != ExportDocument.currentVersion {
            throw fail("formatVersion", "unsupported version \(doc.formatVersion) (this build reads \(ExportDocument.currentVersion))")
        }
        var passIds = Set<String>(), uuids = Set<String>(), keys = Set<String>()
        for (i, pass) in doc.passes.enumerated() {
            let p = "passes[\(i)]"
            if UUID(uuidString: pass.id) == nil { throw fail("\(p).id", "not a UUID") }
            if !passIds.insert(pass.id).inserted { throw fail("\(p).id", "duplicate pass \(pass.id)") }
            if pass.workbookId.isEmpty { throw fail("\(p).workbookId", "empty") }
            if pass.workbookId.utf8.contains(0) { throw fail("\(p).workbookId", "contains U+0000") }
            if Timestamp.date(pass.startedAt) == nil { throw fail("\(p).startedAt", "not an RFC 3339 time") }
            if let closed = pass.closedAt, Timestamp.date(closed) == nil { throw fail("\(p).closedAt", "not an RFC 3339 time") }
            if let title = pass.title, title.utf8.contains(0) { throw fail("\(p).title", "contains U+0000") }
            for (j, rev) in pass.revisions.enumerated() {
                let r = "\(p).revisions[\(j)]"
                if UUID(uuidString: rev.uuid) == nil { throw fail("\(r).uuid", "not a UUID") }
                if !uuids.insert(rev.uuid).inserted { throw fail("\(r).uuid", "duplicate revision \(rev.uuid)") }
                if rev.passId != pass.id { throw fail("\(r).passId", "does not match the enclosing pass \(pass.id)") }
                if rev.promptId.isEmpty { throw fail("\(r).promptId", "empty") }
                if rev.revision < 1 { throw fail("\(r).revision", "must be >= 1") }
                if !keys.insert("\(rev.promptId)\u{0}\(rev.revision)\u{0}\(pass.id)").inserted {
                    throw fail("\(r).revision", "duplicate revision \(rev.revision) of \(rev.promptId)")
                }
                if Timestamp.date(rev.at) == nil { throw fail("\(r).at", "not an RFC 3339 time") }
                for (field, value) in [("text", rev.text), ("client", rev.client), ("packVersion", rev.packVersion),
                                       ("promptId", rev.promptId), ("reason", rev.reason ?? "")] where value.utf8.contains(0) {
                    throw fail("\(r).\(field)", "contains U+0000")
                }
                if rev.text.utf8.count > maxAnswerBytes {
                    throw fail("\(r).text", "\(rev.text.utf8.count) bytes, larger than the \(maxAnswerBytes)-byte limit")
                }
            }
        }
    }

    /// A decoding error as "path: what".
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.reduce("") { acc, key in
                if let i = key.intValue { return acc + "[\(i)]" }
                return acc.isEmpty ? key.stringValue : acc + "." + key.stringValue
            }
            return text.isEmpty ? "document" : text
        }
        switch error {
        case .keyNotFound(let key, let ctx): return "\(path(ctx.codingPath + [key])): missing"
        case .typeMismatch(let type, let ctx): return "\(path(ctx.codingPath)): expected \(type)"
        case .valueNotFound(let type, let ctx): return "\(path(ctx.codingPath)): expected \(type), found null"
        case .dataCorrupted(let ctx): return "\(path(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
