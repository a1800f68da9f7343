import Foundation
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

    /// `view` as JSON text, byte for byte what `JSONCoding.encode(view)` produces. The pack's parts of
    /// it (prompt, section, lead prompt, contexts: the same at every call for a prompt) are encoded
    /// by `JSONEncoder` once and kept (`PromptParts`); `JSONEncoder` was a quarter of a
    /// `prompts.get`'s samples.
    static func encode(_ v: PromptView) throws -> [UInt8] {
        let parts = try PromptParts.shared.parts(of: v)
        var out: [UInt8] = []
        out.reserveCapacity(parts.size + 256 + (v.answer?.text.utf8.count ?? 0)
                            + v.earlierAnswers.reduce(0) { $0 + 176 + $1.text.utf8.count })
        out += #"{"answer":"#.utf8
        if let a = v.answer { answer(a, &out) } else { out += "null".utf8 }
        out += #","contexts":"#.utf8; out += parts.contexts
        out += #","earlierAnswers":["#.utf8
        for (n, a) in v.earlierAnswers.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            answer(a, &out)
        }
        out += #"],"earlierMore":"#.utf8; out += (v.earlierMore ? "true" : "false").utf8
        if let lead = parts.leadPrompt { out += #","leadPrompt":"#.utf8; out += lead }
        out += #","number":"#.utf8; int(v.number, &out)
        out += #","passId":"#.utf8; optional(v.passId, &out)
        out += #","prompt":"#.utf8; out += parts.prompt
        out += #","section":"#.utf8; out += parts.section
        out += #","total":"#.utf8; int(v.total, &out)
        out += #","workbookId":"#.utf8; string(v.workbookId, &out)
        out.append(UInt8(ascii: "}"))
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
        var s = s
        s.withUTF8 { string($0, &out) }
    }

    /// The same over the string's UTF-8 buffer (a scan of `String.UTF8View` was ~1 % of a `saveMany`).
    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        defer { out.append(UInt8(ascii: "\"")) }
        // Ids and titles almost never need an escape: copied whole.
        if !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: bytes)
            return
        }
        for c in bytes {
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

/// The JSON of a prompt view's pack parts, per workbook and prompt. A hit is used only when the parts
/// equal the ones it was made from (a test process may load several catalogs with the same ids).
final class PromptParts: @unchecked Sendable {
    struct Encoded {
        var source: (prompt: PackItem, section: SectionRef, leadPrompt: PackItem?, contexts: [PackItem])
        var prompt: [UInt8], section: [UInt8], leadPrompt: [UInt8]?, contexts: [UInt8]
        var size: Int { prompt.count + section.count + (leadPrompt?.count ?? 0) + contexts.count }
    }

    static let shared = PromptParts()
    private let lock = NSLock()
    private var cache: [String: Encoded] = [:]

    func parts(of v: PromptView) throws -> Encoded {
        let key = v.workbookId + "\u{0}" + v.prompt.id
        if let hit = lock.withLock({ cache[key] }), hit.source.prompt == v.prompt, hit.source.section == v.section,
           hit.source.leadPrompt == v.leadPrompt, hit.source.contexts == v.contexts {
            return hit
        }
        let made = Encoded(source: (v.prompt, v.section, v.leadPrompt, v.contexts),
                           prompt: try JSONCoding.encode(v.prompt), section: try JSONCoding.encode(v.section),
                           leadPrompt: try v.leadPrompt.map { try JSONCoding.encode($0) }, contexts: try JSONCoding.encode(v.contexts))
        lock.withLock { cache[key] = made }
        return made
    }
}
