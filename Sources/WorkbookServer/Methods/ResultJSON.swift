import JSONRPC
import Workbook

/// Hand-written JSON for the hottest results: `progress.get` (a shell prompt on every keystroke)
/// and the answer saves (an editor's autosave). Profiling showed `JSONEncoder` taking most of
/// progress.get's CPU and a tenth of a save's; this writes the same bytes (`.sortedKeys`,
/// `.withoutEscapingSlashes`, explicit nulls, Foundation's string escapes).
enum ResultJSON {
    /// `progress` as JSON text, byte for byte what `JSONCoding.encode(progress)` produces.
    static func encode(_ p: WorkbookProgress) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + p.sections.count * 128)
        out += #"{"answered":"#.utf8; int(p.answered, &out)
        out += #","drafts":"#.utf8; int(p.drafts, &out)
        out += #","lastActivityAt":"#.utf8; optional(p.lastActivityAt, &out)
        out += #","nextPromptId":"#.utf8; optional(p.nextPromptId, &out)
        out += #","passId":"#.utf8; optional(p.passId, &out)
        out += #","percent":"#.utf8; int(p.percent, &out)
        out += #","remaining":"#.utf8; int(p.remaining, &out)
        out += #","sections":["#.utf8
        for (n, s) in p.sections.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            out += #"{"answered":"#.utf8; int(s.answered, &out)
            out += #","drafts":"#.utf8; int(s.drafts, &out)
            out += #","id":"#.utf8; string(s.id, &out)
            out += #","skipped":"#.utf8; int(s.skipped, &out)
            out += #","title":"#.utf8; string(s.title, &out)
            out += #","total":"#.utf8; int(s.total, &out)
            out.append(UInt8(ascii: "}"))
        }
        out += #"],"skipped":"#.utf8; int(p.skipped, &out)
        out += #","total":"#.utf8; int(p.total, &out)
        out += #","words":"#.utf8; int(p.words, &out)
        out += #","workbookId":"#.utf8; string(p.workbookId, &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `result` as JSON text, byte for byte what `JSONCoding.encode(result)` produces.
    static func encode(_ result: AnswersSaveResult) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(192 + result.answer.text.utf8.count)
        out += #"{"answer":"#.utf8; answer(result.answer, &out)
        out += #","revision":"#.utf8; int(result.revision, &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `result` as JSON text, byte for byte what `JSONCoding.encode(result)` produces.
    static func encode(_ result: AnswersSaveManyResult) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 + result.answers.reduce(0) { $0 + 176 + $1.text.utf8.count })
        out += #"{"answers":["#.utf8
        for (n, a) in result.answers.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            answer(a, &out)
        }
        out += "]}".utf8
        return out
    }

    private static func answer(_ a: Answer, _ out: inout [UInt8]) {
        out += #"{"client":"#.utf8; string(a.client, &out)
        out += #","passId":"#.utf8; string(a.passId, &out)
        out += #","promptId":"#.utf8; string(a.promptId, &out)
        out += #","revision":"#.utf8; int(a.revision, &out)
        out += #","status":"#.utf8; string(a.status.rawValue, &out)
        out += #","text":"#.utf8; string(a.text, &out)
        out += #","updatedAt":"#.utf8; string(a.updatedAt, &out)
        out.append(UInt8(ascii: "}"))
    }

    private static func int(_ v: Int, _ out: inout [UInt8]) { out += String(v).utf8 }

    private static func optional(_ s: String?, _ out: inout [UInt8]) {
        if let s { string(s, &out) } else { out += "null".utf8 }
    }

    /// Foundation's escapes: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other C0 controls as `\u00xx`;
    /// everything else (also `/`, DEL, U+2028) as raw UTF-8.
    private static func string(_ s: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        defer { out.append(UInt8(ascii: "\"")) }
        // Ids and titles almost never need an escape: copied whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += s.utf8
            return
        }
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""): out += [0x5C, 0x22]
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case 0x08: out += [0x5C, UInt8(ascii: "b")]
            case 0x0C: out += [0x5C, UInt8(ascii: "f")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(c >> 4)], hex[Int(c & 0xF)]]
            default: out.append(c)
            }
        }
    }
}
