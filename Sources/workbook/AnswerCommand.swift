import ArgumentParser
import Foundation
import Workbook
import WorkbookServer

/// `workbook answer PROMPT-ID [--file F | -]`
struct AnswerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer",
        abstract: "Save an answer from a file, from stdin (-), or by editing it in $EDITOR.",
        discussion: """
            Without --file, $EDITOR opens a temporary file: the question and its context stand above a \
            marker line, your previous answer below it. Save and quit to store it. The save carries the \
            revision you started from, so an answer written elsewhere meanwhile is never overwritten: \
            you get both versions and exit code 4 instead. Without --final or --draft the answer keeps \
            its status (a new answer is a draft), so editing a final answer leaves it final.
            """)

    @Argument(help: "The prompt id (see `workbook next`).") var promptId: String
    @Option(name: .shortAndLong, help: "Read the answer from this file, or - for stdin.") var file: String?
    @Flag(help: "Mark the answer final.") var final = false
    @Flag(help: "Mark the answer a draft (without either flag it keeps its status; a new answer is a draft).") var draft = false
    @Option(help: "The pass id (default: the newest open pass).") var pass: String?
    @OptionGroup var endpoint: EndpointOptions

    static let marker = "# ──── write your answer below this line; everything above it is ignored ────"

    func validate() throws {
        if final && draft { throw ValidationError("--final and --draft cannot be used together") }
    }

    func run() throws {
        try guarded {
            let client = try Client(endpoint)
            // No status sent: the store keeps the current one (PROTOCOL.md), so an edit never demotes a final answer.
            let status: AnswerStatus? = final ? .final : draft ? .draft : nil
            if let file {
                let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile()
                                       : try Data(contentsOf: URL(fileURLWithPath: file))
                let text = String(decoding: data, as: UTF8.self)
                let saved: AnswersSaveResult = try client.call("answers.save",
                    AnswersSaveParams(promptId: promptId, text: text, status: status, passId: pass))
                output("saved \(promptId) (\(saved.answer.status.rawValue), revision \(saved.revision))")
                return
            }
            try editInteractively(client, status: status)
        }
    }

    private func editInteractively(_ client: Client, status: AnswerStatus?) throws {
        let view: PromptView = try client.call("prompts.get", PromptsGetParams(promptId: promptId, passId: pass))
        let started = view.answer?.revision ?? 0
        let path = NSTemporaryDirectory() + "workbook-\(promptId)-\(getpid()).md"
        var header = Next.text(view).split(separator: "\n", omittingEmptySubsequences: false).map { "# " + $0 }
        header.append(Self.marker)
        let body = header.joined(separator: "\n") + "\n" + (view.answer?.text ?? "")
        guard FileManager.default.createFile(atPath: path, contents: Data(body.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CLIError(exitCode: 1, message: "workbook: cannot write \(path)")
        }
        let env = ProcessInfo.processInfo.environment
        let editor = [env["VISUAL"], env["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", editor + " \"$1\"", "sh", path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIError(exitCode: 1, message: "workbook: the editor failed; your text is kept in \(path)")
        }
        let edited = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        let text = Self.answerText(from: edited)
        if text == view.answer?.text, status == nil || status == view.answer?.status {
            try? FileManager.default.removeItem(atPath: path)
            output("unchanged")
            return
        }
        do {
            let saved: AnswersSaveResult = try client.call("answers.save",
                AnswersSaveParams(promptId: promptId, text: text, status: status, expectedRevision: started, passId: pass))
            try? FileManager.default.removeItem(atPath: path)
            output("saved \(promptId) (\(saved.answer.status.rawValue), revision \(saved.revision))")
        } catch let error as CLIError where error.exitCode == 4 {
            let current: Answer? = try client.call("answers.get", AnswersGetParams(promptId: promptId, passId: pass))
            throw CLIError(exitCode: 4, message: """
                workbook: conflict: the answer changed elsewhere (now revision \(current?.revision ?? 0)); nothing was overwritten.
                --- stored now ---
                \(current?.text ?? "")
                --- yours (kept in \(path)) ---
                \(text)
                """)
        }
    }

    /// Everything below the marker line, without the newline editors append.
    static func answerText(from edited: String) -> String {
        guard let range = edited.range(of: marker + "\n") ?? edited.range(of: marker) else { return edited }
        var text = String(edited[range.upperBound...])
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
