/// One problem found in a template, located at a line and column.
public struct TemplateDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The template's display path.
    public let path: String
    /// Where the problem is.
    public let location: SourceLocation
    /// What is wrong and, where it helps, how to fix it.
    public let message: String
    /// The source line the problem is on (shown with a caret under the column).
    public let sourceLine: String

    public init(path: String, location: SourceLocation, message: String, sourceLine: String) {
        self.path = path
        self.location = location
        self.message = message
        self.sourceLine = sourceLine
    }

    init(source: SourceFile, offset: Int, message: String) {
        let location = source.location(ofOffset: offset)
        self.init(path: source.path, location: location, message: message,
                  sourceLine: source.lineText(location.line))
    }

    /// `path:line:col: error: message`, then the source line and a caret, as compilers print.
    public var description: String {
        var caret = ""
        for (index, character) in sourceLine.enumerated() where index < location.column - 1 {
            caret.append(character == "\t" ? "\t" : " ")
        }
        caret.append("^")
        return "\(path):\(location.line):\(location.column): error: \(message)\n\(sourceLine)\n\(caret)"
    }
}

/// The error thrown when a template does not compile or does not render: every
/// problem found, each with its file, line and column.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    /// All problems found, in source order.
    public let diagnostics: [TemplateDiagnostic]

    public init(_ diagnostics: [TemplateDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
