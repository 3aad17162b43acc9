/// What a tag does, told by the character after its opening delimiter.
enum TagKind: Sendable, Equatable {
    case variable        // {{name}}
    case unescaped       // {{{name}}} or {{& name}}
    case section         // {{#name}}
    case inverted        // {{^name}}
    case close           // {{/name}}
    case comment         // {{! text}}
    case partial         // {{> name}}
    case delimiters      // {{=<% %>=}}
    case parent          // {{< name}}
    case block           // {{$ name}}

    /// Whether a tag of this kind alone on a line removes that line from the output.
    var canStandAlone: Bool {
        switch self {
        case .variable, .unescaped: false
        default: true
        }
    }

    /// Whether this kind opens a section that a `{{/name}}` tag must close.
    var opensSection: Bool {
        switch self {
        case .section, .inverted, .parent, .block: true
        default: false
        }
    }
}

/// A piece of template source found by the lexer: text, a line break, or a tag.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case text
        case newline
        case tag(TagKind)
    }

    var kind: Kind
    /// Byte range in the source, delimiters included for tags.
    var start: Int
    var end: Int
    /// Byte range of a tag's content, trimmed of surrounding white space.
    var contentStart: Int = 0
    var contentEnd: Int = 0
    /// The delimiters in force where this token stands.
    var delimiters: Delimiters = .standard
    /// Set by the standalone pass: the tag sits alone on its line (only white space besides).
    var standalone = false
    /// The white space that preceded a standalone tag on its line.
    var indentation = ""
    /// Byte offsets of the start of the tag's line and of the start of the next line.
    var lineStart = 0
    var lineEnd = 0
    /// Set by the standalone pass on text and line breaks that leave the output.
    var removed = false

    var tagKind: TagKind? {
        if case .tag(let kind) = kind { return kind }
        return nil
    }
}
