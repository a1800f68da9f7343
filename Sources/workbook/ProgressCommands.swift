import ArgumentParser
import Foundation
import Workbook
import WorkbookServer

/// `workbook progress [--format text|json|prompt]`
struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress", abstract: "Show progress: per section (text), as JSON, or as a prompt segment.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, prompt }

    @Option(help: "text, json or prompt (one short segment such as 'solidarity 7/22').") var format: Format = .text
    @OptionGroup var scope: ScopeOptions
    @OptionGroup var endpoint: EndpointOptions

    func run() throws {
        try guarded { try Self.report(format, workbook: scope.workbook, pass: scope.pass, endpoint: endpoint) }
    }

    /// Prints the progress of `workbook`'s `pass` (defaults: the default workbook, the newest pass).
    static func report(_ format: Format, workbook: String?, pass: String?, endpoint: some Endpoint) throws {
        try endpoint.requireExistingDatabase()
        let params = ProgressGetParams(workbookId: workbook, passId: pass)
        if format == .json {
            switch try endpoint.caller().call("progress.get", params: String(decoding: try JSONEncoder().encode(params), as: UTF8.self)) {
            case let .success(json): output(json)
            case let .failure(reply): throw CLIError(exitCode: CLIError.exitCode(for: reply), message: "workbook: \(reply.message)")
            }
            return
        }
        let p: WorkbookProgress = try Client(endpoint).call("progress.get", params)
        switch format {
        case .prompt: output("\(p.workbookId) \(p.answered)/\(p.total)")
        case .text, .json: output(Self.text(p))
        }
    }

    /// Sections with a small bar each.
    static func text(_ p: WorkbookProgress) -> String {
        var lines = ["\(p.workbookId): \(p.answered) of \(p.total) answered (\(p.percent)%), \(p.drafts) drafts, \(p.skipped) skipped, \(p.words) words"]
        for s in p.sections {
            let width = 10
            let filled = s.total == 0 ? 0 : s.answered * width / s.total
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            lines.append("  \(bar) \(s.answered)/\(s.total)  \(s.title)")
        }
        lines.append(p.nextPromptId.map { "next: \($0)" } ?? "every prompt is answered or skipped")
        return lines.joined(separator: "\n")
    }
}

/// `workbook next`
struct Next: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "next", abstract: "Print the next open prompt with the text that frames it.")

    @Option(help: "text or json.") var format: ProgressCommand.Format = .text
    @Option(help: "Start after this prompt.") var after: String?
    @OptionGroup var scope: ScopeOptions
    @OptionGroup var endpoint: EndpointOptions

    func run() throws {
        try guarded {
            try endpoint.requireExistingDatabase()
            let view: PromptView? = try Client(endpoint).call(
                "prompts.next", PromptsNextParams(workbookId: scope.workbook, passId: scope.pass, after: after))
            guard let view else {
                output(format == .json ? "null" : "Every prompt is answered or skipped.")
                return
            }
            if format == .json {
                output(String(decoding: try JSONEncoder().encode(view), as: UTF8.self))
            } else {
                output(Self.text(view))
            }
        }
    }

    /// The prompt as a person reads it: section, context, question, guidance, id.
    static func text(_ view: PromptView) -> String {
        var parts = ["\(view.section.title) — \(view.number) of \(view.total)"]
        parts += view.contexts.map(\.text)
        if let lead = view.leadPrompt { parts.append(lead.text) }
        parts.append("» " + view.prompt.text)
        if let guidance = view.prompt.guidance { parts.append(guidance) }
        if let answer = view.answer { parts.append("Your \(answer.status.rawValue) (revision \(answer.revision)):\n\(answer.text)") }
        parts.append("id: \(view.prompt.id)")
        return parts.joined(separator: "\n\n")
    }
}
