import ArgumentParser
import Foundation

/// `workbook progress` without ArgumentParser, for a shell prompt that runs it on every keystroke:
/// parsing the full command tree cost about two thirds of a one-shot call's CPU (its reflection
/// resolves protocol conformances one by one in a large static binary; see BENCHMARKS.md).
/// Only the plain form `progress [--format F] [--workbook W] [--pass P] [--socket S] [--database D]`,
/// each option at most once as `--name value`, is taken here; anything else (help, `--name=value`,
/// an unknown format, a typo) goes to ArgumentParser, which gives its usual messages.
enum FastPath {
    /// What a recognised `progress` call asked for.
    struct Progress: Equatable {
        var format: ProgressCommand.Format = .text
        var workbook: String?
        var pass: String?
        var socket: String?
        var database: String?
    }

    /// The `progress` call that `arguments` (without the program name) spell, or nil.
    static func progress(_ arguments: [String]) -> Progress? {
        guard arguments.first == "progress", arguments.count % 2 == 1 else { return nil }
        var result = Progress()
        var seen: Set<String> = []
        var rest = arguments.dropFirst()
        while let name = rest.popFirst(), let value = rest.popFirst() {
            guard seen.insert(name).inserted, !value.hasPrefix("-") else { return nil }
            switch name {
            case "--format":
                guard let format = ProgressCommand.Format(rawValue: value) else { return nil }
                result.format = format
            case "--workbook": result.workbook = value
            case "--pass": result.pass = value
            case "--socket": result.socket = value
            case "--database": result.database = value
            default: return nil
            }
        }
        return result
    }

    /// Runs `arguments` when they are a plain `progress` call and exits; returns otherwise.
    static func runIfRecognised(_ arguments: [String]) {
        guard let p = progress(arguments) else { return }
        do {
            try guarded {
                try ProgressCommand.report(p.format, workbook: p.workbook, pass: p.pass,
                                           endpoint: PlainEndpoint(socket: p.socket, database: p.database))
            }
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            fail(error)
        }
        exit(0)
    }
}
