import Foundation

/// Export formats.
public enum ExportFormat: String, Codable, Sendable, Equatable {
    /// A printable Markdown document (a string).
    case markdown
    /// The lossless JSON document (an object).
    case json
}

/// The result of `export`: `{format, content}`.
public struct ExportResult: Codable, Sendable, Equatable {
    /// markdown or json.
    public var format: ExportFormat
    /// A string for markdown, an object for json.
    public var content: ExportContent
}

/// Export content: encodes as a JSON string (markdown) or a JSON object (json).
public enum ExportContent: Codable, Sendable, Equatable {
    /// Markdown text.
    case markdown(String)
    /// The lossless document.
    case json(ExportDocument)

    /// Decodes a string as markdown, anything else as a document.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { self = .markdown(s) } else { self = .json(try c.decode(ExportDocument.self)) }
    }

    /// Encodes the string or the object.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .markdown(let s): try c.encode(s)
        case .json(let d): try c.encode(d)
        }
    }
}

/// The lossless JSON export: every pass with every revision; `import` reads it back.
public struct ExportDocument: Codable, Sendable, Equatable {
    /// Always `ExportDocument.formatName`.
    public var format: String
    /// Format version; this build writes and reads 1.
    public var formatVersion: Int
    /// The exporting database's id.
    public var databaseId: String
    /// When the export was made.
    public var exportedAt: String
    /// The workbooks the passes answer, as loaded when exporting.
    public var workbooks: [ExportWorkbook]
    /// Passes, oldest first, each with its revisions.
    public var passes: [ExportPass]

    /// The value of `format`.
    public static let formatName = "workbook-export"
    /// The value of `formatVersion`.
    public static let currentVersion = 1
}

/// A workbook named by an export.
public struct ExportWorkbook: Codable, Sendable, Equatable {
    /// Workbook id.
    public var id: String
    /// Pack version at export time.
    public var version: String
    /// Title.
    public var title: String
}

/// A pass in an export.
public struct ExportPass: Codable, Sendable, Equatable {
    /// Pass id (UUID).
    public var id: String
    /// Its workbook.
    public var workbookId: String
    /// Optional title.
    public var title: String?
    /// RFC 3339.
    public var startedAt: String
    /// RFC 3339, absent while open.
    public var closedAt: String?
    /// Every revision, by prompt then revision number.
    public var revisions: [Revision]
}

/// The result of `import`.
public struct ImportResult: Codable, Sendable, Equatable {
    /// Revisions added.
    public var imported: Int
    /// Revisions already present (same uuid).
    public var skipped: Int
}
