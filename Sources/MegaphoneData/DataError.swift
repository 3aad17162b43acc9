/// A problem with a data file (JSON, CSV or a text list), naming the file and,
/// where known, the line and column, with what to do about it.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem: it decides the exit code.
    public enum Kind: Sendable, Equatable {
        /// The file does not exist or cannot be opened.
        case missingFile
        /// The file's content is wrong.
        case invalid
    }

    public let kind: Kind
    public let path: String
    public let line: Int?
    /// A 1-based column number (JSON) or nil.
    public let column: Int?
    /// For CSV: the name of the column concerned.
    public let columnName: String?
    public let message: String

    public init(kind: Kind = .invalid, path: String, line: Int? = nil, column: Int? = nil, columnName: String? = nil, message: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.column = column
        self.columnName = columnName
        self.message = message
    }

    /// `path:line:column: error: message`, the way compilers print.
    public var description: String {
        var place = path
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        let columnNote = columnName.map { " (column '\($0)')" } ?? ""
        return "\(place): error: \(message)\(columnNote)"
    }
}
