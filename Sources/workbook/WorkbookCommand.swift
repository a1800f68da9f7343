import ArgumentParser
import WorkbookServer

/// The `workbook` command: the server and its command-line clients.
struct WorkbookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workbook",
        abstract: "A JSON-RPC 2.0 service for guided-reflection workbooks.",
        version: ServerIdentity.version,
        subcommands: [Serve.self, Call.self, ProgressCommand.self, Next.self, AnswerCommand.self, ExportCommand.self,
                      ImportCommand.self, Backup.self, Restore.self, Packs.self, Status.self, OpenRPC.self])
}
