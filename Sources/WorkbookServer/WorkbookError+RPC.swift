import Foundation
import JSONRPC
import Workbook

/// The one place where domain errors become JSON-RPC errors (codes from PROTOCOL.md).
public enum WorkbookErrorMapping {
    /// The JSON-RPC error for `error`, or nil for errors that are not the domain's (→ -32603).
    public static func rpcError(for error: any Error) -> RPCError? {
        guard let error = error as? WorkbookError else { return nil }
        return rpcError(error)
    }

    private struct Data: Encodable {
        var kind: String
        var workbookId: String?
        var promptId: String?
        var passId: String?
        var currentRevision: Int?
        var current: Answer??
        var bytes: Int?
        var limit: Int?
        var file: String?
        var reason: String?
        var field: String?
        var index: Int?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(kind, forKey: .kind)
            try c.encodeIfPresent(workbookId, forKey: .workbookId)
            try c.encodeIfPresent(promptId, forKey: .promptId)
            try c.encodeIfPresent(passId, forKey: .passId)
            try c.encodeIfPresent(currentRevision, forKey: .currentRevision)
            if let current { try c.encode(current, forKey: .current) }  // explicit null when no answer
            try c.encodeIfPresent(bytes, forKey: .bytes)
            try c.encodeIfPresent(limit, forKey: .limit)
            try c.encodeIfPresent(file, forKey: .file)
            try c.encodeIfPresent(reason, forKey: .reason)
            try c.encodeIfPresent(field, forKey: .field)
            try c.encodeIfPresent(index, forKey: .index)
        }
        enum CodingKeys: String, CodingKey {
            case kind, workbookId, promptId, passId, currentRevision, current, bytes, limit, file, reason, field, index
        }
    }

    static func rpcError(_ error: WorkbookError, index: Int? = nil) -> RPCError {
        var d = Data(kind: "")
        d.index = index
        let code: Int, message: String
        switch error {
        case let .workbookNotFound(id):
            (code, message, d.kind, d.workbookId) = (1001, "Workbook not found: \(id)", "workbookNotFound", id)
        case let .promptNotFound(id):
            (code, message, d.kind, d.promptId) = (1002, "Prompt not found: \(id)", "promptNotFound", id)
        case let .passNotFound(id):
            (code, message, d.kind, d.passId) = (1003, "Pass not found: \(id)", "passNotFound", id)
        case let .revisionConflict(promptId, passId, currentRevision, current):
            (code, message, d.kind) = (1004, "Revision conflict: the answer is at revision \(currentRevision)", "revisionConflict")
            (d.promptId, d.passId, d.currentRevision, d.current) = (promptId, passId, currentRevision, .some(current))
        case let .answerTooLarge(promptId, bytes, limit):
            (code, message, d.kind) = (1005, "Answer too large: \(bytes) bytes, the limit is \(limit)", "answerTooLarge")
            (d.promptId, d.bytes, d.limit) = (promptId, bytes, limit)
        case let .packInvalid(file, reason):
            (code, message, d.kind, d.file, d.reason) = (1006, "Invalid pack \(file): \(reason)", "packInvalid", file, reason)
        case let .passClosed(passId):
            (code, message, d.kind, d.passId) = (1007, "Pass is closed: \(passId)", "passClosed", passId)
        case let .importInvalid(reason):
            (code, message, d.kind, d.reason) = (1008, "Invalid import document: \(reason)", "importInvalid", reason)
        case let .readOnly(reason):
            (code, message, d.kind, d.reason) = (1009, "Read-only: \(reason)", "readOnly", reason)
        case let .storageFailure(kind, reason):
            (code, message, d.kind, d.reason) = (1010, "Storage failure (\(kind.rawValue)): \(reason)", kind.rawValue, reason)
        case let .invalidArgument(field, reason):
            (code, message, d.kind, d.field) = (-32602, "Invalid params: \(field): \(reason)", "invalidParams", field)
        case let .itemFailed(index, inner):
            return rpcError(inner, index: index)
        }
        return RPCError(code: code, message: message, data: d)
    }
}
