import ArgumentParser
import Foundation
import Workbook
import WorkbookServer

/// `workbook export --format markdown|json [-o FILE]`
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export answers as Markdown or lossless JSON.",
        discussion: """
            Reads the database file directly whenever its path is known (--database, or the running \
            server's database from server.info), so an export of any size works: a socket message \
            stops at the server's message limit (4 MiB). Only when the file cannot be opened here \
            does it go through the socket. A --database that does not exist is refused (exit 1). \
            Workbooks come from the default packs directory.
            """)

    @Option(help: "markdown or json.") var format: ExportFormat = .markdown
    @Option(name: .shortAndLong, help: "Write to this file (created 0600; never through a symlink).") var output: String?
    @Flag(help: "Overwrite an existing file.") var force = false
    @OptionGroup var scope: ScopeOptions
    @OptionGroup var endpoint: EndpointOptions

    func run() throws {
        try guarded {
            try endpoint.requireExistingDatabase()
            let result: ExportResult = try Client(caller: endpoint.directCaller()).call(
                "export", ExportParams(workbookId: scope.workbook, passId: scope.pass, format: format))
            var text: String
            switch result.content {
            case let .markdown(markdown): text = markdown
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                text = String(decoding: try encoder.encode(result.content), as: UTF8.self)
            }
            if !text.hasSuffix("\n") { text += "\n" }
            if let output {
                try SafeFile.write(Data(text.utf8), to: output, force: force)
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}

/// `workbook import FILE`
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Merge a JSON export (by revision uuid; twice changes nothing).",
        discussion: """
            Writes the database file directly whenever its path is known (--database, or the running \
            server's database from server.info), so a document of any size can be imported: a socket \
            message stops at the server's message limit (4 MiB). SQLite shares the file safely with \
            the server, whose subscribers still hear of the import. Only when the file cannot be \
            opened here does it go through the socket.
            """)
    @Argument(help: "A file written by `workbook export --format json`, or - for stdin.") var file: String
    @OptionGroup var endpoint: EndpointOptions

    func run() throws {
        try guarded {
            let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
            let document: JSONValue
            do { document = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
                throw CLIError(exitCode: 1, message: "workbook: \(file) is not JSON: \(error)")
            }
            let result: ImportResult = try Client(caller: endpoint.directCaller()).call("import", ImportParams(document: document))
            output("imported \(result.imported), skipped \(result.skipped)")
        }
    }
}

/// `workbook backup FILE`
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup", abstract: "Copy the database with SQLite's online backup (safe while a server runs).")
    @Argument(help: "The backup file to create (0600).") var file: String
    @Flag(help: "Overwrite an existing file.") var force = false
    @Option(help: "The database (default: the default database); it must exist.") var database: String?

    func run() throws {
        try guarded {
            let path = database ?? ServerConfiguration.defaultDatabasePath()
            try PlainEndpoint.requireExisting(path)
            let store = try WorkbookStore.open(path: path, catalog: .standard)
            try store.backup(to: file, force: force)
            output("backed up to \(file)")
        }
    }
}

/// `workbook restore FILE`
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore", abstract: "Replace the database's content with a backup (safe while a server runs).")
    @Argument(help: "A file written by `workbook backup`.") var file: String
    @Option(help: "The database (default: the default database).") var database: String?

    func run() throws {
        try guarded {
            try WorkbookStore.restore(from: file, into: database ?? ServerConfiguration.defaultDatabasePath())
            output("restored from \(file)")
        }
    }
}

/// `workbook packs validate FILE`
struct Packs: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "packs", abstract: "Work with workbook packs.", subcommands: [Validate.self])

    /// `workbook packs validate FILE`
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check a pack file against the pack format.")
        @Argument(help: "The pack file.") var file: String

        func run() throws {
            try guarded {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CLIError(exitCode: 1, message: "workbook: cannot read \(file)")
                }
                do {
                    let pack = try PackValidator.validate(data, file: file)
                    output("\(file): valid pack '\(pack.id)' \(pack.version)")
                } catch {
                    throw CLIError(exitCode: 1, message: "\(file): invalid: \(error)")
                }
            }
        }
    }
}
