/// Splits template source into text, line breaks and tags, following set-delimiter
/// tags as it goes, then marks standalone lines (Mustache's rule that a line holding
/// only a section, comment, partial or delimiter tag leaves no trace in the output).
struct Lexer {
    let source: SourceFile
    private(set) var tokens: [Token] = []
    private(set) var diagnostics: [TemplateDiagnostic] = []

    init(source: SourceFile, delimiters: Delimiters = .standard) {
        self.source = source
        tokenize(delimiters: delimiters)
        markStandaloneLines()
    }

    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    private mutating func tokenize(delimiters initial: Delimiters) {
        let bytes = source.bytes
        var delimiters = initial
        var index = 0
        var textStart = 0

        func flushText(upTo end: Int, into tokens: inout [Token], delimiters: Delimiters) {
            if end > textStart {
                tokens.append(Token(kind: .text, start: textStart, end: end, delimiters: delimiters))
            }
        }

        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.newline || (byte == Self.carriageReturn && index + 1 < bytes.count && bytes[index + 1] == Self.newline) {
                flushText(upTo: index, into: &tokens, delimiters: delimiters)
                let length = byte == Self.newline ? 1 : 2
                tokens.append(Token(kind: .newline, start: index, end: index + length, delimiters: delimiters))
                index += length
                textStart = index
                continue
            }
            if byte == delimiters.open[0], matches(delimiters.open, at: index) {
                flushText(upTo: index, into: &tokens, delimiters: delimiters)
                guard let token = lexTag(at: index, delimiters: &delimiters) else {
                    // Unclosed tag: the rest of the template is text; the error is recorded.
                    textStart = index
                    index = bytes.count
                    break
                }
                tokens.append(token)
                index = token.end
                textStart = index
                continue
            }
            index += 1
        }
        flushText(upTo: bytes.count, into: &tokens, delimiters: delimiters)
    }

    private func matches(_ needle: [UInt8], at index: Int) -> Bool {
        let bytes = source.bytes
        guard index + needle.count <= bytes.count else { return false }
        for offset in 0..<needle.count where bytes[index + offset] != needle[offset] {
            return false
        }
        return true
    }

    private func find(_ needle: [UInt8], from index: Int) -> Int? {
        let bytes = source.bytes
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var position = index
        while position + needle.count <= bytes.count {
            if bytes[position] == needle[0], matches(needle, at: position) { return position }
            position += 1
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == newline || byte == carriageReturn
    }

    /// Reads the tag whose opening delimiter starts at `start`; nil when it is never closed.
    private mutating func lexTag(at start: Int, delimiters: inout Delimiters) -> Token? {
        let bytes = source.bytes
        let afterOpen = start + delimiters.open.count
        var kind = TagKind.variable
        var closing = delimiters.close
        var contentStart = afterOpen
        if afterOpen < bytes.count {
            switch bytes[afterOpen] {
            case UInt8(ascii: "{"): kind = .unescaped; closing = Array("}".utf8) + delimiters.close
            case UInt8(ascii: "&"): kind = .unescaped
            case UInt8(ascii: "#"): kind = .section
            case UInt8(ascii: "^"): kind = .inverted
            case UInt8(ascii: "/"): kind = .close
            case UInt8(ascii: "!"): kind = .comment
            case UInt8(ascii: ">"): kind = .partial
            case UInt8(ascii: "="): kind = .delimiters; closing = Array("=".utf8) + delimiters.close
            case UInt8(ascii: "<"): kind = .parent
            case UInt8(ascii: "$"): kind = .block
            default: break
            }
            if kind != .variable { contentStart += 1 }
        }
        guard let closeAt = find(closing, from: contentStart) else {
            let shown = String(decoding: delimiters.close, as: UTF8.self)
            let hint = kind == .unescaped && closing.count > delimiters.close.count ? "}" + shown : shown
            diagnostics.append(TemplateDiagnostic(
                source: source, offset: start,
                message: "this tag is never closed; add '\(hint)' after the tag's name"))
            return nil
        }
        var token = Token(kind: .tag(kind), start: start, end: closeAt + closing.count, delimiters: delimiters)
        var contentEnd = closeAt
        while contentStart < contentEnd, Self.isSpace(bytes[contentStart]) { contentStart += 1 }
        while contentEnd > contentStart, Self.isSpace(bytes[contentEnd - 1]) { contentEnd -= 1 }
        token.contentStart = contentStart
        token.contentEnd = contentEnd

        if kind == .delimiters {
            let parts = bytes[contentStart..<contentEnd]
                .split(whereSeparator: Self.isSpace)
                .map(Array.init)
            if parts.count == 2, !parts.contains(where: { $0.contains(UInt8(ascii: "=")) }) {
                delimiters = Delimiters(open: parts[0], close: parts[1])
            } else {
                diagnostics.append(TemplateDiagnostic(
                    source: source, offset: start,
                    message: "a delimiter change needs two delimiters without spaces or '=', as in {{=<% %>=}}"))
            }
        } else if kind != .comment, contentStart == contentEnd {
            diagnostics.append(TemplateDiagnostic(
                source: source, offset: start, message: "this tag is empty; write a name inside it, as in {{name}}"))
        }
        return token
    }

    /// Marks lines that hold only white space and tags that can stand alone: their
    /// white space and line break leave the output, and the tags remember the
    /// indentation (partials and blocks indent their content by it).
    private mutating func markStandaloneLines() {
        var lineFirst = 0
        var lineStartOffset = 0
        var index = 0
        while index <= tokens.count {
            let atEnd = index == tokens.count
            if atEnd || tokens[index].kind == .newline {
                let lineEndOffset = atEnd ? source.bytes.count : tokens[index].end
                markLine(tokens: lineFirst..<index, newline: atEnd ? nil : index,
                         lineStart: lineStartOffset, lineEnd: lineEndOffset)
                lineFirst = index + 1
                lineStartOffset = lineEndOffset
            }
            index += 1
        }
    }

    private mutating func markLine(tokens range: Range<Int>, newline: Int?, lineStart: Int, lineEnd: Int) {
        var tagIndices: [Int] = []
        var indentation = ""
        for index in range {
            let token = tokens[index]
            switch token.kind {
            case .tag(let kind):
                guard kind.canStandAlone else { return }
                tagIndices.append(index)
            case .text:
                let text = source.bytes[token.start..<token.end]
                guard text.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) else { return }
                if tagIndices.isEmpty { indentation += String(decoding: text, as: UTF8.self) }
            case .newline:
                return
            }
        }
        guard !tagIndices.isEmpty else { return }
        for index in range {
            if tokens[index].kind == .text {
                tokens[index].removed = true
            } else {
                tokens[index].standalone = true
                tokens[index].indentation = indentation
                tokens[index].lineStart = lineStart
                tokens[index].lineEnd = lineEnd
            }
        }
        // An empty block opened and closed on one line keeps its line break: whatever
        // fills the block ends up on that line.
        let isEmptyBlockLine = tagIndices.count == 2
            && tokens[tagIndices[0]].tagKind == .block
            && tokens[tagIndices[1]].tagKind == .close
        if let newline, !isEmptyBlockLine {
            tokens[newline].removed = true
        }
    }
}
