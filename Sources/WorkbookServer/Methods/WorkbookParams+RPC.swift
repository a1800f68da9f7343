import JSONRPC
import Workbook

extension RPCMethod where Params: WorkbookParams {
    /// Workbook params list their own keys; any other key is -32602.
    public static var paramKeys: [String]? { Params.keys }
}

extension AnswersSaveParams: FastDecodableParams {
    /// `answers.save`'s params by hand; nil (the decoder decides) for an unknown or repeated key,
    /// a missing required one, or a value of another kind.
    public static func fastDecode(_ json: JSONFields) -> AnswersSaveParams? {
        read(json, json.all)
    }

    /// The object at `range` of `json`.
    static func read(_ json: JSONFields, _ range: Range<Int>) -> AnswersSaveParams? {
        guard let members = json.object(range) else { return nil }
        var promptId: String?, text: String?, status: AnswerStatus?, expectedRevision: Int?, passId: String?
        for (key, value) in members {
            let null = json.isNull(value)
            switch key {
            case "promptId": promptId = json.string(value)
            case "text": text = json.string(value)
            case "status":
                if !null { guard let raw = json.string(value), let s = AnswerStatus(rawValue: raw) else { return nil }; status = s }
            case "expectedRevision":
                if !null { guard let n = json.int(value) else { return nil }; expectedRevision = n }
            case "passId":
                if !null { guard let s = json.string(value) else { return nil }; passId = s }
            default: return nil
            }
        }
        guard let promptId, let text else { return nil }
        return AnswersSaveParams(promptId: promptId, text: text, status: status, expectedRevision: expectedRevision, passId: passId)
    }
}

extension AnswersSaveManyParams: FastDecodableParams {
    /// `answers.saveMany`'s params by hand: every item must be taken, else the decoder reads them all.
    public static func fastDecode(_ json: JSONFields) -> AnswersSaveManyParams? {
        guard let members = json.object(json.all), members.count == 1, members[0].key == "items",
              let elements = json.array(members[0].value) else { return nil }
        var items: [AnswersSaveParams] = []
        items.reserveCapacity(elements.count)
        for element in elements {
            guard let item = AnswersSaveParams.read(json, element) else { return nil }
            items.append(item)
        }
        return AnswersSaveManyParams(items: items)
    }
}
