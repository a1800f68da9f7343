import Foundation

/// `workbooks.get`.
public struct WorkbooksGetParams: WorkbookParams, Equatable {
    /// The workbook.
    public var workbookId: String
    enum CodingKeys: String, CodingKey, CaseIterable { case workbookId }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)
    /// Memberwise initializer.
    public init(workbookId: String) { self.workbookId = workbookId }
}

/// `prompts.get`.
public struct PromptsGetParams: WorkbookParams, Equatable {
    /// The prompt.
    public var promptId: String
    /// The pass to read the answer from; omitted = the workbook's newest pass.
    public var passId: String?
    /// At most this many earlier answers, 0…100; omitted = 10.
    public var earlierLimit: Int?
    /// Page on: only earlier answers from passes started before this pass (the `passId` of the
    /// last earlier answer a client has); omitted = before the pass read.
    public var earlierBefore: String?
    enum CodingKeys: String, CodingKey, CaseIterable { case promptId, passId, earlierLimit, earlierBefore }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)
    /// Memberwise initializer.
    public init(promptId: String, passId: String? = nil, earlierLimit: Int? = nil, earlierBefore: String? = nil) {
        self.promptId = promptId; self.passId = passId; self.earlierLimit = earlierLimit
        self.earlierBefore = earlierBefore
    }
}

/// `prompts.next`.
public struct PromptsNextParams: WorkbookParams, Equatable {
    /// The workbook; omitted = the default workbook (or the pass's workbook).
    public var workbookId: String?
    /// The pass; omitted = the workbook's newest pass.
    public var passId: String?
    /// Start after this prompt (wrapping around); omitted = from the start.
    public var after: String?
    /// At most this many earlier answers, 0…100; omitted = 10.
    public var earlierLimit: Int?
    enum CodingKeys: String, CodingKey, CaseIterable { case workbookId, passId, after, earlierLimit }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)
    /// Memberwise initializer.
    public init(workbookId: String? = nil, passId: String? = nil, after: String? = nil, earlierLimit: Int? = nil) {
        self.workbookId = workbookId; self.passId = passId; self.after = after; self.earlierLimit = earlierLimit
    }
}

/// `progress.get`.
public struct ProgressGetParams: WorkbookParams, Equatable {
    /// The workbook; omitted = the default workbook (or the pass's workbook).
    public var workbookId: String?
    /// The pass; omitted = the workbook's newest pass.
    public var passId: String?
    enum CodingKeys: String, CodingKey, CaseIterable { case workbookId, passId }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)
    /// Memberwise initializer.
    public init(workbookId: String? = nil, passId: String? = nil) {
        self.workbookId = workbookId; self.passId = passId
    }
}

/// `passes.list`.
public struct PassesListParams: WorkbookParams, Equatable {
    /// Only passes of this workbook; omitted = every pass.
    public var workbookId: String?
    enum CodingKeys: String, CodingKey, CaseIterable { case workbookId }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)
    /// Memberwise initializer.
    public init(workbookId: String? = nil) { self.workbookId = workbookId }
}

/// `passes.start`.
public struct PassesStartParams: WorkbookParams, Equatable {
    /// The workbook.
    public var workbookId: String
    /// Optional title.
    public var title: String?
    enum CodingKeys: String, CodingKey, CaseIterable { case workbookId, title }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)
    /// Memberwise initializer.
    public init(workbookId: String, title: String? = nil) { self.workbookId = workbookId; self.title = title }
}

/// `passes.get`, `passes.close` and `passes.delete`.
public struct PassRefParams: WorkbookParams, Equatable {
    /// The pass.
    public var passId: String
    enum CodingKeys: String, CodingKey, CaseIterable { case passId }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)
    /// Memberwise initializer.
    public init(passId: String) { self.passId = passId }
}

/// `passes.get` params.
public typealias PassesGetParams = PassRefParams
/// `passes.close` params.
public typealias PassesCloseParams = PassRefParams
/// `passes.delete` params.
public typealias PassesDeleteParams = PassRefParams

/// `data.erase`.
public struct DataEraseParams: WorkbookParams, Equatable {
    /// Must be exactly `DataEraseParams.confirmation`.
    public var confirm: String
    /// The phrase that confirms erasing.
    public static let confirmation = "erase all answers"
    enum CodingKeys: String, CodingKey, CaseIterable { case confirm }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)
    /// Memberwise initializer.
    public init(confirm: String) { self.confirm = confirm }
}

/// `changes.list`.
public struct ChangesListParams: WorkbookParams, Equatable {
    /// Return changes after this cursor; default 0.
    public var since: Int64?
    /// At most this many (default 100, max 1000).
    public var limit: Int?
    enum CodingKeys: String, CodingKey, CaseIterable { case since, limit }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)
    /// Memberwise initializer.
    public init(since: Int64? = nil, limit: Int? = nil) { self.since = since; self.limit = limit }
}

/// `search`.
public struct SearchParams: WorkbookParams, Equatable {
    /// The query (non-empty).
    public var query: String
    /// Only this workbook.
    public var workbookId: String?
    /// Only answers of this pass (prompt hits are still included).
    public var passId: String?
    /// At most this many hits (default 20, max 100).
    public var limit: Int?
    /// words (default) or fts5.
    public var syntax: SearchSyntax?
    enum CodingKeys: String, CodingKey, CaseIterable { case query, workbookId, passId, limit, syntax }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)
    /// Memberwise initializer.
    public init(query: String, workbookId: String? = nil, passId: String? = nil, limit: Int? = nil,
                syntax: SearchSyntax? = nil) {
        self.query = query; self.workbookId = workbookId; self.passId = passId; self.limit = limit
        self.syntax = syntax
    }
}

/// `export`.
public struct ExportParams: WorkbookParams, Equatable {
    /// The workbook (see `WorkbookStore.export` for defaults).
    public var workbookId: String?
    /// The pass.
    public var passId: String?
    /// markdown or json.
    public var format: ExportFormat
    enum CodingKeys: String, CodingKey, CaseIterable { case workbookId, passId, format }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)
    /// Memberwise initializer.
    public init(workbookId: String? = nil, passId: String? = nil, format: ExportFormat) {
        self.workbookId = workbookId; self.passId = passId; self.format = format
    }
}

/// `import`.
public struct ImportParams: WorkbookParams, Equatable {
    /// A JSON export (validated whole before anything is written).
    public var document: JSONValue
    enum CodingKeys: String, CodingKey, CaseIterable { case document }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)
    /// Memberwise initializer.
    public init(document: JSONValue) { self.document = document }
}
