import MegaphoneValue
/// What a tag's name refers to, resolved once when the template compiles.
enum Name: Sendable, Equatable {
    /// `{{.}}`: the value at the top of the context stack.
    case implicit
    /// `{{a.b.c}}`: the first part is looked up through the context stack, the rest inside it.
    case path([Object.MemberName])
    /// `{{@number}}`, `{{@index}}`, `{{@first}}`, `{{@last}}`: the position in the innermost list.
    case loop(LoopField)

    enum LoopField: String, Sendable, CaseIterable {
        case number = "@number"
        case index = "@index"
        case first = "@first"
        case last = "@last"
    }
}

/// A filter applied with a pipe, `{{ name | upper }}`, with its argument if any.
struct FilterCall: Sendable {
    let filter: Filter
    let argument: Value?
    /// Byte offset of the filter's name, for errors.
    let offset: Int
}

/// A tag's parsed content: a name and the filters that transform its value.
struct Expression: Sendable {
    let name: Name
    /// The name as written, for messages and matching `{{/name}}`.
    let text: String
    let filters: [FilterCall]
    /// Byte offset of the name in the source.
    let offset: Int
    /// True when a `default` filter makes a missing value acceptable.
    let allowsMissing: Bool
}

/// Parses the content of a variable or section tag: `name (| filter (: argument)?)*`.
struct ExpressionParser {
    let source: SourceFile
    let strict: Bool

    func parse(start: Int, end: Int, diagnostics: inout [TemplateDiagnostic]) -> Expression? {
        let bytes = source.bytes
        let segments = splitOnPipes(start: start, end: end)
        guard let first = segments.first else { return nil }
        let (nameStart, nameEnd) = trim(first)
        let nameText = String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)
        guard let name = parseName(nameText, offset: nameStart, diagnostics: &diagnostics) else { return nil }

        var filters: [FilterCall] = []
        var failed = false
        for segment in segments.dropFirst() {
            let (segmentStart, segmentEnd) = trim(segment)
            if let call = parseFilter(start: segmentStart, end: segmentEnd, diagnostics: &diagnostics) {
                filters.append(call)
            } else if strict {
                failed = true
            }
        }
        if failed { return nil }
        let allowsMissing = filters.contains { if case .defaultValue = $0.filter { true } else { false } }
        return Expression(name: name, text: nameText, filters: filters, offset: nameStart, allowsMissing: allowsMissing)
    }

    func parseName(_ text: String, offset: Int, diagnostics: inout [TemplateDiagnostic]) -> Name? {
        if text == "." { return .implicit }
        if text.hasPrefix("@") {
            if let field = Name.LoopField(rawValue: text) { return .loop(field) }
            let known = Name.LoopField.allCases.map(\.rawValue).joined(separator: ", ")
            diagnostics.append(TemplateDiagnostic(
                source: source, offset: offset, message: "unknown loop variable '\(text)'; use one of \(known)"))
            return nil
        }
        if text.isEmpty || text.contains(where: { $0.isWhitespace }) {
            diagnostics.append(TemplateDiagnostic(
                source: source, offset: offset,
                message: "'\(text)' is not a name: names have no spaces; separate filters with '|', as in {{name | upper}}"))
            return nil
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.contains(where: \.isEmpty) {
            diagnostics.append(TemplateDiagnostic(
                source: source, offset: offset,
                message: "'\(text)' is not a name: a dotted name needs a word between the dots, as in recipient.name"))
            return nil
        }
        return .path(parts.map(Object.MemberName.init))
    }

    private func trim(_ range: (Int, Int)) -> (Int, Int) {
        var (start, end) = range
        let bytes = source.bytes
        while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") || bytes[start] == 10 || bytes[start] == 13 { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") || bytes[end - 1] == 10 || bytes[end - 1] == 13 { end -= 1 }
        return (start, end)
    }

    /// Splits at `|` characters that are not inside a quoted argument.
    private func splitOnPipes(start: Int, end: Int) -> [(Int, Int)] {
        let bytes = source.bytes
        var segments: [(Int, Int)] = []
        var segmentStart = start
        var quote: UInt8? = nil
        var index = start
        while index < end {
            let byte = bytes[index]
            if let open = quote {
                if byte == UInt8(ascii: "\\") { index += 2; continue }
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "|") {
                segments.append((segmentStart, index))
                segmentStart = index + 1
            }
            index += 1
        }
        segments.append((segmentStart, end))
        return segments
    }

    private func parseFilter(start: Int, end: Int, diagnostics: inout [TemplateDiagnostic]) -> FilterCall? {
        let bytes = source.bytes
        var nameEnd = start
        while nameEnd < end, bytes[nameEnd] != UInt8(ascii: ":") { nameEnd += 1 }
        let (trimmedStart, trimmedEnd) = trim((start, nameEnd))
        let name = String(decoding: bytes[trimmedStart..<trimmedEnd], as: UTF8.self)
        var argument: Value? = nil
        if nameEnd < end {
            let (argumentStart, argumentEnd) = trim((nameEnd + 1, end))
            guard let parsed = parseArgument(start: argumentStart, end: argumentEnd) else {
                diagnostics.append(TemplateDiagnostic(
                    source: source, offset: argumentStart,
                    message: "the argument of '\(name)' must be quoted text, as in \(name): \"…\", or a number"))
                return nil
            }
            argument = parsed
        }
        guard !name.isEmpty else {
            if strict {
                diagnostics.append(TemplateDiagnostic(
                    source: source, offset: start, message: "a '|' must be followed by a filter name, as in {{name | upper}}"))
            }
            return nil
        }
        switch Filter.make(name: name, argument: argument) {
        case .success(let filter):
            return FilterCall(filter: filter, argument: argument, offset: trimmedStart)
        case .failure(let problem):
            if strict || problem.isArgumentProblem {
                diagnostics.append(TemplateDiagnostic(source: source, offset: trimmedStart, message: problem.message))
            }
            return nil
        }
    }

    private func parseArgument(start: Int, end: Int) -> Value? {
        let bytes = source.bytes
        guard start < end else { return nil }
        let first = bytes[start]
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
            guard end - start >= 2, bytes[end - 1] == first else { return nil }
            var result: [UInt8] = []
            var index = start + 1
            while index < end - 1 {
                var byte = bytes[index]
                if byte == UInt8(ascii: "\\"), index + 1 < end - 1 {
                    index += 1
                    byte = bytes[index]
                    if byte == UInt8(ascii: "n") { byte = 10 } else if byte == UInt8(ascii: "t") { byte = 9 }
                } else if byte == first {
                    return nil
                }
                result.append(byte)
                index += 1
            }
            return .string(String(decoding: result, as: UTF8.self))
        }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        if let number = Int(text) { return .int(number) }
        if let number = Double(text) { return .double(number) }
        return nil
    }
}
