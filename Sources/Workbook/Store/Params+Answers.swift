import Foundation

/// A method's by-name params: decoded straight from the request; `keys` lists every accepted key.
public protocol WorkbookParams: Codable, Sendable {
    /// The JSON keys this params object accepts (the dispatcher rejects any other).
    static var keys: [String] { get }
}

extension WorkbookParams {
    /// Builds `keys` from a `CaseIterable` coding-key enum.
    static func keyList<K: CodingKey & CaseIterable>(_: K.Type) -> [String] { K.allCases.map(\.stringValue) }
}

/// `answers.save` and each item of `answers.saveMany`.
public struct AnswersSaveParams: WorkbookParams, Equatable {
    /// The prompt answered.
    public var promptId: String
    /// The answer text (no U+0000).
    public var text: String
    /// draft or final; when omitted, the current status if draft or final, else draft.
    public var status: AnswerStatus?
    /// The revision the client last saw; 0 = "no answer yet".
    public var expectedRevision: Int?
    /// The pass; omitted = the workbook's newest open pass (created when none is open).
    public var passId: String?
    enum CodingKeys: String, CodingKey, CaseIterable { case promptId, text, status, expectedRevision, passId }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)

    /// Memberwise initializer.
    public init(promptId: String, text: String, status: AnswerStatus? = nil, expectedRevision: Int? = nil,
                passId: String? = nil) {
        self.promptId = promptId; self.text = text; self.status = status
        self.expectedRevision = expectedRevision; self.passId = passId
    }

    /// Decodes, refusing unknown keys: the dispatcher checks the top level, this covers the items of
    /// `answers.saveMany` (a misspelt `expectedRevison` must not silently turn off the conflict check).
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        promptId = try c.decode(String.self, forKey: .promptId)
        text = try c.decode(String.self, forKey: .text)
        status = try c.decodeIfPresent(AnswerStatus.self, forKey: .status)
        expectedRevision = try c.decodeIfPresent(Int.self, forKey: .expectedRevision)
        passId = try c.decodeIfPresent(String.self, forKey: .passId)
    }
}

/// Any key, to list what an object really holds.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Throws a decoding error naming the first key of the object that `Keys` does not list.
func rejectUnknownKeys<Keys: CodingKey>(_ decoder: any Decoder, _: Keys.Type) throws {
    let all = try decoder.container(keyedBy: AnyCodingKey.self)
    if let unknown = all.allKeys.first(where: { Keys(stringValue: $0.stringValue) == nil }) {
        throw DecodingError.dataCorruptedError(forKey: unknown, in: all, debugDescription: "unknown parameter")
    }
}

/// `answers.saveMany`.
public struct AnswersSaveManyParams: WorkbookParams, Equatable {
    /// Items applied in order, all or nothing.
    public var items: [AnswersSaveParams]
    enum CodingKeys: String, CodingKey, CaseIterable { case items }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)
    /// Memberwise initializer.
    public init(items: [AnswersSaveParams]) { self.items = items }
}

/// `answers.get`, `answers.history` and `answers.delete`: one prompt in one pass.
public struct AnswerRefParams: WorkbookParams, Equatable {
    /// The prompt.
    public var promptId: String
    /// The pass; omitted = the newest pass (open or closed) of the prompt's workbook.
    public var passId: String?
    enum CodingKeys: String, CodingKey, CaseIterable { case promptId, passId }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)
    /// Memberwise initializer.
    public init(promptId: String, passId: String? = nil) { self.promptId = promptId; self.passId = passId }
}

/// `answers.get` params.
public typealias AnswersGetParams = AnswerRefParams
/// `answers.history` params.
public typealias AnswersHistoryParams = AnswerRefParams
/// `answers.delete` params.
public typealias AnswersDeleteParams = AnswerRefParams

/// `answers.list`.
public struct AnswersListParams: WorkbookParams, Equatable {
    /// The workbook; omitted = the default workbook (or the pass's workbook when `passId` is given).
    public var workbookId: String?
    /// The pass; omitted = the workbook's newest pass.
    public var passId: String?
    /// Only answers with this status.
    public var status: AnswerStatus?
    enum CodingKeys: String, CodingKey, CaseIterable { case workbookId, passId, status }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)
    /// Memberwise initializer.
    public init(workbookId: String? = nil, passId: String? = nil, status: AnswerStatus? = nil) {
        self.workbookId = workbookId; self.passId = passId; self.status = status
    }
}

/// `answers.skip`.
public struct AnswersSkipParams: WorkbookParams, Equatable {
    /// The prompt skipped.
    public var promptId: String
    /// Why (kept in the revision's `reason`).
    public var reason: String?
    /// The revision the client last saw; 0 = "no answer yet".
    public var expectedRevision: Int?
    /// The pass; omitted = the workbook's newest open pass (created when none is open).
    public var passId: String?
    enum CodingKeys: String, CodingKey, CaseIterable { case promptId, reason, expectedRevision, passId }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)
    /// Memberwise initializer.
    public init(promptId: String, reason: String? = nil, expectedRevision: Int? = nil, passId: String? = nil) {
        self.promptId = promptId; self.reason = reason; self.expectedRevision = expectedRevision
        self.passId = passId
    }
}

/// `answers.restore`.
public struct AnswersRestoreParams: WorkbookParams, Equatable {
    /// The prompt.
    public var promptId: String
    /// The revision whose text and status are copied.
    public var revision: Int
    /// The revision the client last saw.
    public var expectedRevision: Int?
    /// The pass; omitted = the workbook's newest open pass.
    public var passId: String?
    enum CodingKeys: String, CodingKey, CaseIterable { case promptId, revision, expectedRevision, passId }
    /// Accepted keys.
    public static let keys = keyList(CodingKeys.self)
    /// Memberwise initializer.
    public init(promptId: String, revision: Int, expectedRevision: Int? = nil, passId: String? = nil) {
        self.promptId = promptId; self.revision = revision; self.expectedRevision = expectedRevision
        self.passId = passId
    }
}
