import Foundation

/// Builds the node tree from the lexer's tokens: sections hold their children,
/// every `{{/name}}` must match the open section, and all problems are collected.
struct Parser {
    let source: SourceFile
    let strict: Bool
    private(set) var diagnostics: [TemplateDiagnostic] = []

    private struct Frame {
        let token: Token
        let kind: TagKind
        let name: String
        let expression: Expression?
        var nodes: [Node] = []
        var pendingText: [UInt8] = []
    }

    init(source: SourceFile, strict: Bool) {
        self.source = source
        self.strict = strict
    }

    mutating func parse(_ tokens: [Token]) -> [Node] {
        let expressions = ExpressionParser(source: source, strict: strict)
        var root = Frame(token: Token(kind: .text, start: 0, end: 0), kind: .section, name: "", expression: nil)
        var stack: [Frame] = []

        func flushText(_ frame: inout Frame) {
            if !frame.pendingText.isEmpty {
                frame.nodes.append(.text(frame.pendingText))
                frame.pendingText = []
            }
        }
        func append(_ node: Node) {
            if stack.isEmpty {
                flushText(&root)
                root.nodes.append(node)
            } else {
                flushText(&stack[stack.count - 1])
                stack[stack.count - 1].nodes.append(node)
            }
        }
        func appendText(_ bytes: ArraySlice<UInt8>) {
            if stack.isEmpty { root.pendingText += bytes } else { stack[stack.count - 1].pendingText += bytes }
        }

        for token in tokens {
            switch token.kind {
            case .text, .newline:
                if !token.removed { appendText(source.bytes[token.start..<token.end]) }
            case .tag(let kind):
                let content = String(decoding: source.bytes[token.contentStart..<token.contentEnd], as: UTF8.self)
                switch kind {
                case .comment, .delimiters:
                    continue
                case .variable, .unescaped:
                    guard token.contentStart < token.contentEnd,
                          let expression = expressions.parse(start: token.contentStart, end: token.contentEnd, diagnostics: &diagnostics)
                    else { continue }
                    append(.variable(expression, escaped: kind == .variable))
                case .section, .inverted:
                    let expression = token.contentStart < token.contentEnd
                        ? expressions.parse(start: token.contentStart, end: token.contentEnd, diagnostics: &diagnostics)
                        : nil
                    let name = expression?.text ?? nameBeforePipe(content)
                    stack.append(Frame(token: token, kind: kind, name: name, expression: expression))
                case .parent, .block:
                    stack.append(Frame(token: token, kind: kind, name: content, expression: nil))
                case .partial:
                    guard token.contentStart < token.contentEnd else { continue }
                    append(.partial(PartialNode(
                        reference: reference(content, offset: token.contentStart, expressions: expressions),
                        indentation: token.standalone ? token.indentation : "",
                        offset: token.start)))
                case .close:
                    guard let index = stack.lastIndex(where: { $0.name == content || $0.name == nameBeforePipe(content) }) else {
                        let open = stack.last.map { " (the open section is '\($0.name)'; close it with {{/\($0.name)}})" } ?? ""
                        diagnostics.append(TemplateDiagnostic(
                            source: source, offset: token.start,
                            message: "'{{/\(content)}}' closes a section that is not open\(open)"))
                        continue
                    }
                    while stack.count > index + 1 {
                        let unclosed = stack.removeLast()
                        reportUnclosed(unclosed.token, name: unclosed.name, closedBy: token)
                        finish(unclosed, close: token, into: append)
                    }
                    let frame = stack.removeLast()
                    finish(frame, close: token, into: append)
                }
            }
        }
        while let unclosed = stack.popLast() {
            reportUnclosed(unclosed.token, name: unclosed.name, closedBy: nil)
        }
        flushText(&root)
        return root.nodes
    }

    private func nameBeforePipe(_ content: String) -> String {
        let head = content.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return head.trimmingCharacters(in: [" ", "\t", "\n", "\r"])
    }

    private mutating func reportUnclosed(_ token: Token, name: String, closedBy close: Token?) {
        let location = close.map { " before the '{{/…}}' at \(source.location(ofOffset: $0.start))" } ?? ""
        diagnostics.append(TemplateDiagnostic(
            source: source, offset: token.start,
            message: "section '\(name)' is never closed\(location); add {{/\(name)}} where it should end"))
    }

    private mutating func reference(_ content: String, offset: Int, expressions: ExpressionParser) -> TemplateReference {
        guard content.hasPrefix("*") else { return .fixed(content) }
        let rest = content.dropFirst().trimmingCharacters(in: [" ", "\t", "\n", "\r"])
        var scratch: [TemplateDiagnostic] = []
        guard !rest.contains("*"), let name = expressions.parseName(rest, offset: offset, diagnostics: &scratch) else {
            if strict {
                diagnostics.append(TemplateDiagnostic(
                    source: source, offset: offset,
                    message: "'\(content)' is not a dynamic name; write one '*' before a name, as in {{> *template}}"))
            }
            return .invalid
        }
        return .dynamic(name, text: rest)
    }

    /// The source text between an opening and a closing tag, without the lines of
    /// standalone tags.
    private func innerText(open: Token, close: Token) -> (text: String, start: Int) {
        var start = open.standalone ? open.lineEnd : open.end
        var end = close.standalone ? close.lineStart : close.start
        if start > end {
            start = open.end
            end = close.start
        }
        return (String(decoding: source.bytes[start..<end], as: UTF8.self), start)
    }

    private mutating func finish(_ frame: Frame, close: Token, into append: (Node) -> Void) {
        var frame = frame
        if !frame.pendingText.isEmpty {
            frame.nodes.append(.text(frame.pendingText))
        }
        let open = frame.token
        let inner = innerText(open: open, close: close)
        let delimiters = open.delimiters
        switch frame.kind {
        case .section, .inverted:
            guard let expression = frame.expression else { return }
            append(.section(SectionNode(
                expression: expression, inverted: frame.kind == .inverted, children: frame.nodes,
                rawInner: inner.text, delimiters: delimiters)))
        case .block:
            append(.block(block(from: frame, inner: inner.text)))
        case .parent:
            let blocks = frame.nodes.compactMap { node -> BlockNode? in
                if case .block(let block) = node { return block }
                return nil
            }
            let expressions = ExpressionParser(source: source, strict: strict)
            append(.parent(ParentNode(
                reference: reference(frame.name, offset: open.contentStart, expressions: expressions),
                indentation: open.standalone && close.standalone ? open.indentation : "",
                blocks: blocks, offset: open.start)))
        default:
            return
        }
    }

    private func block(from frame: Frame, inner: String) -> BlockNode {
        BlockNode(
            name: frame.name, children: frame.nodes, rawInner: inner,
            standalone: frame.token.standalone, lineIndentation: frame.token.indentation,
            delimiters: frame.token.delimiters)
    }
}
