import Foundation

/// Checks a pack document by hand, rule for rule as `schema/workbook-pack.schema.json`, plus the
/// cross-references a schema cannot express (unique ids, lead prompts, context ids).
public enum PackValidator {
    /// Parses and validates a pack; `file` names it in errors (`.packInvalid(file:reason:)`).
    public static func validate(_ data: Data, file: String) throws(WorkbookError) -> Pack {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw .packInvalid(file: file, reason: "not valid JSON")
        }
        var checker = Checker(file: file)
        let pack = try checker.pack(root)
        try checker.checkReferences()
        return pack
    }
}

/// One validation pass over a parsed document; remembers ids for the cross-reference checks.
private struct Checker {
    let file: String
    /// Every item id seen so far, with its kind and JSON path.
    var seen: [String: (kind: ItemKind, path: String)] = [:]
    /// Prompt ids in reading order, for "names an earlier prompt".
    var promptsSoFar: Set<String> = []
    /// `contextIds` to resolve once every item is known: (path, id).
    var pendingContextRefs: [(path: String, id: String)] = []

    static let packKeys: Set<String> = ["id", "version", "title", "summary", "language", "attribution", "items"]
    static let attributionKeys: Set<String> = ["title", "source", "note"]
    static let itemKeys: Set<String> = ["id", "kind", "title", "text", "guidance", "items", "leadPromptId", "contextIds"]

    init(file: String) { self.file = file }

    func fail(_ path: String, _ reason: String) -> WorkbookError {
        .packInvalid(file: file, reason: "\(path.isEmpty ? "(root)" : path): \(reason)")
    }

    func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func object(_ value: Any, _ path: String, allowed: Set<String>, required: [String])
        throws(WorkbookError) -> [String: Any] {
        guard let dict = value as? [String: Any] else { throw fail(path, "must be a JSON object") }
        if let unknown = dict.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw fail(join(path, unknown), "unknown field")
        }
        if let missing = required.first(where: { dict[$0] == nil }) {
            throw fail(path, "missing required field \"\(missing)\"")
        }
        return dict
    }

    func string(_ dict: [String: Any], _ key: String, _ path: String, nonBlank: Bool = false,
                pattern: PackPattern? = nil) throws(WorkbookError) -> String? {
        guard let value = dict[key] else { return nil }
        let here = join(path, key)
        guard let text = value as? String else { throw fail(here, "must be a string") }
        if nonBlank, text.allSatisfy(\.isWhitespace) { throw fail(here, "must not be empty") }
        if let pattern, !pattern.matches(text) {
            throw fail(here, "\(quoted(text)) is not \(pattern.what)")
        }
        return text
    }

    func quoted(_ text: String) -> String {
        let short = text.count > 60 ? String(text.prefix(60)) + "…" : text
        return "\"\(short)\""
    }

    mutating func pack(_ root: Any) throws(WorkbookError) -> Pack {
        let dict = try object(root, "", allowed: Self.packKeys,
                              required: ["id", "version", "title", "summary", "language", "items"])
        let id = try string(dict, "id", "", pattern: .slug)!
        let version = try string(dict, "version", "",
                                 pattern: .semver)!
        let title = try string(dict, "title", "", nonBlank: true)!
        let summary = try string(dict, "summary", "")!
        let language = try string(dict, "language", "",
                                  pattern: .language)!
        var attribution: Attribution?
        if let raw = dict["attribution"] {
            let a = try object(raw, "attribution", allowed: Self.attributionKeys, required: ["title"])
            attribution = Attribution(title: try string(a, "title", "attribution", nonBlank: true)!,
                                      source: try string(a, "source", "attribution"),
                                      note: try string(a, "note", "attribution"))
        }
        let items = try itemList(dict["items"]!, "items")
        return Pack(id: id, version: version, title: title, summary: summary, language: language,
                    attribution: attribution, items: items)
    }

    mutating func itemList(_ value: Any, _ path: String) throws(WorkbookError) -> [PackItem] {
        guard let array = value as? [Any] else { throw fail(path, "must be an array") }
        if array.isEmpty { throw fail(path, "must hold at least one item") }
        var items: [PackItem] = []
        for (n, raw) in array.enumerated() {
            items.append(try item(raw, "\(path)[\(n)]"))
        }
        return items
    }

    mutating func item(_ raw: Any, _ path: String) throws(WorkbookError) -> PackItem {
        let dict = try object(raw, path, allowed: Self.itemKeys, required: ["id", "kind", "text"])
        let id = try string(dict, "id", path, pattern: .slug)!
        guard let kindText = dict["kind"] as? String, let kind = ItemKind(rawValue: kindText) else {
            throw fail(join(path, "kind"), "must be one of \"section\", \"context\", \"prompt\"")
        }
        if let earlier = seen[id] { throw fail(join(path, "id"), "\(quoted(id)) is already used at \(earlier.path)") }
        seen[id] = (kind, path)
        for key in ["guidance", "leadPromptId", "contextIds"] where kind != .prompt && dict[key] != nil {
            throw fail(join(path, key), "only a prompt may have \"\(key)\"")
        }
        let title = try string(dict, "title", path, nonBlank: kind == .section)
        if kind == .section, title == nil { throw fail(path, "a section needs a \"title\"") }
        let text = try string(dict, "text", path, nonBlank: kind != .section)!
        let guidance = try string(dict, "guidance", path, nonBlank: true)
        var children: [PackItem]?
        switch (kind, dict["items"]) {
        case (.section, let raw?): children = try itemList(raw, join(path, "items"))
        case (.section, nil): throw fail(path, "a section needs \"items\"")
        case (_, .some): throw fail(join(path, "items"), "only a section may have \"items\"")
        case (_, nil): break
        }
        let lead = try string(dict, "leadPromptId", path, pattern: .slug)
        if let lead, !promptsSoFar.contains(lead) {
            throw fail(join(path, "leadPromptId"), "\(quoted(lead)) does not name an earlier prompt of this pack")
        }
        var contextIds: [String]?
        if let raw = dict["contextIds"] {
            contextIds = try idList(raw, join(path, "contextIds"))
        }
        if kind == .prompt { promptsSoFar.insert(id) }
        return PackItem(id: id, kind: kind, title: title, text: text, guidance: guidance, items: children,
                        leadPromptId: lead, contextIds: contextIds)
    }

    mutating func idList(_ raw: Any, _ path: String) throws(WorkbookError) -> [String] {
        guard let array = raw as? [Any] else { throw fail(path, "must be an array") }
        if array.isEmpty { throw fail(path, "must hold at least one id") }
        var ids: [String] = []
        for (n, element) in array.enumerated() {
            let here = "\(path)[\(n)]"
            guard let id = element as? String else { throw fail(here, "must be a string") }
            if !PackPattern.slug.matches(id) {
                throw fail(here, "\(quoted(id)) is not \(PackPattern.slug.what)")
            }
            if ids.contains(id) { throw fail(here, "\(quoted(id)) is listed twice") }
            ids.append(id)
            pendingContextRefs.append((here, id))
        }
        return ids
    }

    func checkReferences() throws(WorkbookError) {
        for ref in pendingContextRefs where seen[ref.id]?.kind != .context {
            throw fail(ref.path, "\(quoted(ref.id)) does not name a context item of this pack")
        }
    }
}
