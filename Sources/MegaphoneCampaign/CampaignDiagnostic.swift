import Foundation
public import MegaphoneData
public import MegaphoneTemplate

/// One problem found in a campaign — in the campaign file, a data file, a template
/// or a rendered message — printed the way compilers print:
/// `path:line:col: error: message`, then the line and a caret when it helps.
public struct CampaignDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error
        case warning
    }

    public let severity: Severity
    public let path: String
    public let line: Int?
    public let column: Int?
    /// For CSV rows: the column concerned.
    public let columnName: String?
    public let message: String
    /// The source line, shown with a caret under `column`.
    public let sourceLine: String?
    /// True when a file is missing (exit code 66 rather than 65).
    public let isMissingFile: Bool

    public init(_ severity: Severity = .error, path: String, line: Int? = nil, column: Int? = nil,
                columnName: String? = nil, message: String, sourceLine: String? = nil, isMissingFile: Bool = false) {
        self.severity = severity
        self.path = path
        self.line = line
        self.column = column
        self.columnName = columnName
        self.message = message
        self.sourceLine = sourceLine
        self.isMissingFile = isMissingFile
    }

    public init(_ diagnostic: TemplateDiagnostic) {
        self.init(path: diagnostic.path, line: diagnostic.location.line, column: diagnostic.location.column,
                  message: diagnostic.message, sourceLine: diagnostic.sourceLine)
    }

    public init(_ error: DataError) {
        self.init(path: error.path, line: error.line, column: error.column, columnName: error.columnName,
                  message: error.message, isMissingFile: error.kind == .missingFile)
    }

    /// The same diagnostic with a note appended to its message.
    func appending(_ note: String) -> CampaignDiagnostic {
        CampaignDiagnostic(severity, path: path, line: line, column: column, columnName: columnName,
                           message: message + note, sourceLine: sourceLine, isMissingFile: isMissingFile)
    }

    public var description: String {
        var place = path
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        let columnNote = columnName.map { " (column '\($0)')" } ?? ""
        var text = "\(place): \(severity.rawValue): \(message)\(columnNote)"
        if let sourceLine, let column {
            var caret = ""
            for (index, character) in sourceLine.enumerated() where index < column - 1 {
                caret.append(character == "\t" ? "\t" : " ")
            }
            text += "\n\(sourceLine)\n\(caret)^"
        }
        return text
    }
}

/// Paths as a person typed them: relative to the current folder when inside it.
public enum DisplayPath {
    /// `absolute` (or any path) relative to the current folder when inside it.
    public static func make(_ absolute: String) -> String {
        let current = FileManager.default.currentDirectoryPath
        if absolute.hasPrefix(current + "/") { return String(absolute.dropFirst(current.count + 1)) }
        return absolute
    }

    /// Resolves `relative` against `folder` (absolute paths stay as they are).
    public static func resolve(_ relative: String, in folder: String) -> String {
        let url = relative.hasPrefix("/") ? URL(fileURLWithPath: relative)
            : URL(fileURLWithPath: folder).appendingPathComponent(relative)
        return make(url.standardizedFileURL.path)
    }
}
