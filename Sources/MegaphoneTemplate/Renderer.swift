import MegaphoneValue
/// Walks a compiled template against a context stack, writing UTF-8 into one
/// growing buffer. Problems found in strict mode are collected, not thrown one by one.
struct Renderer {
    let options: Template.Options
    let library: PartialLibrary
    var buffer: [UInt8]
    /// What `pick` keys its choice on.
    var pickKeys = PickKeys()
    /// The context stack, innermost last; a list item carries its place in the list.
    private var stack: [Frame]
    /// Block overrides in force, outermost parent first: the outermost wins.
    private var overrides: [BlockNode] = []
    private var depth = 0
    private(set) var diagnostics: [TemplateDiagnostic] = []
    private var reported: Set<TemplateDiagnostic> = []
    private var source: SourceFile

    static let maximumDepth = 200
    /// Made once: a SourceFile allocates its line table.
    private static let noSource = SourceFile(path: "", text: "")

    init(options: Template.Options, library: PartialLibrary, buffer: [UInt8], frames: [Value]) {
        self.options = options
        self.library = library
        self.buffer = buffer
        stack = []
        stack.reserveCapacity(frames.count + 8)
        for frame in frames { stack.append(Frame(value: frame, loop: nil)) }
        self.source = Self.noSource
    }

    struct Frame {
        let value: Value
        /// For a list item: its index and the list's length (for `@index`, `@first`…).
        let loop: (index: Int, count: Int)?
    }

    mutating func render(_ program: Program) {
        let saved = source
        source = program.source
        render(program.nodes)
        source = saved
    }

    private mutating func report(_ offset: Int, _ message: String) {
        let diagnostic = TemplateDiagnostic(source: source, offset: offset, message: message)
        if reported.insert(diagnostic).inserted { diagnostics.append(diagnostic) }
    }

    private mutating func render(_ nodes: [Node]) {
        for node in nodes {
            switch node {
            case .text(let bytes):
                buffer.append(contentsOf: bytes)
            case .variable(let expression, let escaped):
                renderVariable(expression, escaped: escaped)
            case .section(let section):
                renderSection(section)
            case .partial(let partial):
                renderPartial(partial.reference, indentation: partial.indentation, offset: partial.offset, blocks: nil)
            case .parent(let parent):
                renderPartial(parent.reference, indentation: parent.indentation, offset: parent.offset, blocks: parent.blocks)
            case .block(let block):
                renderBlock(block)
            }
        }
    }

    // MARK: Lookup

    private func resolve(_ name: Name) -> Value? {
        switch name {
        case .implicit:
            return stack.last?.value
        case .loop(let field):
            guard let loop = stack.last(where: { $0.loop != nil })?.loop else { return nil }
            switch field {
            case .number: return .int(loop.index + 1)
            case .index: return .int(loop.index)
            case .first: return .bool(loop.index == 0)
            case .last: return .bool(loop.index == loop.count - 1)
            }
        case .path(let parts):
            // The first part is looked up from the innermost frame out; the rest inside it.
            let first = parts[0]
            var index = stack.count - 1
            var found: Value? = nil
            while index >= 0 {
                if case .object(let members) = stack[index].value, let value = members[first] {
                    found = value
                    break
                }
                index -= 1
            }
            guard var value = found else { return nil }
            var part = 1
            while part < parts.count {
                guard case .object(let members) = value, let next = members[parts[part]] else { return nil }
                value = next
                part += 1
            }
            return value
        }
    }

    private func missingMessage(_ expression: Expression) -> String {
        if case .loop = expression.name {
            return "'\(expression.text)' only has a value inside a section over a list, such as {{#demands}}…{{/demands}}"
        }
        return "no value for '\(expression.text)'; add it to the data, or write {{\(expression.text) | default: \"…\"}} to allow a blank"
    }

    /// The expression's value after its filters; nil when missing (and already reported in strict mode).
    private mutating func evaluate(_ expression: Expression, callingLambdas: Bool) -> Value? {
        var value = resolve(expression.name)
        if callingLambdas, case .lambda(let lambda)? = value {
            value = renderLambdaResult(lambda.body(nil), delimiters: .standard)
        }
        for call in expression.filters {
            var seed: String? = nil
            if case .pick(let scope) = call.filter, let key = pickKeys[scope] {
                // The tag's own text joins the key, so two lists picked in one letter vary independently.
                seed = key + "\u{0}" + expression.text
            }
            switch call.filter.apply(to: value, locale: options.locale, pickSeed: seed) {
            case .success(let result):
                value = result
            case .failure(let failure):
                if options.strict { report(call.offset, failure.message) }
                return nil
            }
        }
        if value == nil, options.strict, !expression.allowsMissing {
            report(expression.offset, missingMessage(expression))
        }
        return value
    }

    /// A lambda's text result is itself a template, rendered against the current stack.
    private mutating func renderLambdaResult(_ result: Value, delimiters: Delimiters) -> Value {
        guard case .string(let text) = result else { return result }
        let (program, _) = PartialLibrary.compile(SourceFile(path: source.path, text: text), strict: options.strict, delimiters: delimiters)
        let saved = buffer
        buffer = []
        render(program)
        let rendered = String(decoding: buffer, as: UTF8.self)
        buffer = saved
        return .string(rendered)
    }

    // MARK: Nodes

    private mutating func renderVariable(_ expression: Expression, escaped: Bool) {
        // The common case: a name holding text, no filters, no escaping.
        if expression.filters.isEmpty, !(escaped && options.escaping == .html), case .string(let text)? = resolve(expression.name) {
            appendText(text)
            return
        }
        guard let value = evaluate(expression, callingLambdas: true) else { return }
        guard let text = value.scalarText else {
            if options.strict {
                let hint = if case .array = value {
                    "; list it with {{#\(expression.text)}}…{{/\(expression.text)}} or write {{\(expression.text) | join: \", \"}}"
                } else {
                    "; name one of its members, as in {{\(expression.text).name}}"
                }
                report(expression.offset, "'\(expression.text)' is \(value.kindName), not text\(hint)")
            }
            return
        }
        if escaped, options.escaping == .html {
            appendEscaped(text)
        } else {
            buffer.append(contentsOf: text.utf8)
        }
    }

    /// Appends text's UTF-8 with one copy when the string is stored contiguously (native strings are).
    private mutating func appendText(_ text: String) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { buffer.append(contentsOf: $0) }
        if copied == nil { buffer.append(contentsOf: text.utf8) }
    }

    private mutating func appendEscaped(_ text: String) {
        HTMLEscaping.append(text, to: &buffer)
    }

    private mutating func renderSection(_ section: SectionNode) {
        let raw = section.expression.filters.isEmpty ? resolve(section.expression.name) : nil
        if case .lambda(let lambda)? = raw {
            if section.inverted { return }
            let result = renderLambdaResult(lambda.body(section.rawInner), delimiters: section.delimiters)
            if let text = result.scalarText { buffer.append(contentsOf: text.utf8) }
            return
        }
        let value = evaluate(section.expression, callingLambdas: false)
        let truthy = value?.isTruthy ?? false
        if section.inverted {
            if !truthy { render(section.children) }
            return
        }
        guard truthy, let value else { return }
        if case .array(let items) = value {
            for (index, item) in items.enumerated() {
                stack.append(Frame(value: item, loop: (index, items.count)))
                render(section.children)
                stack.removeLast()
            }
        } else {
            stack.append(Frame(value: value, loop: nil))
            render(section.children)
            stack.removeLast()
        }
    }

    private mutating func templateName(_ reference: TemplateReference, offset: Int) -> String? {
        switch reference {
        case .fixed(let name):
            return name
        case .invalid:
            return nil
        case .dynamic(let name, let text):
            switch resolve(name) {
            case .string(let partialName)?:
                return partialName
            case nil:
                if options.strict { report(offset, "no value for '\(text)', which names the partial to include") }
                return nil
            case let other?:
                if options.strict { report(offset, "'\(text)' must be text naming a partial, but it is \(other.kindName)") }
                return nil
            }
        }
    }

    private mutating func renderPartial(_ reference: TemplateReference, indentation: String, offset: Int, blocks: [BlockNode]?) {
        guard let name = templateName(reference, offset: offset) else { return }
        guard depth < Self.maximumDepth else {
            report(offset, "partials nest more than \(Self.maximumDepth) deep here; does '\(name)' include itself without end?")
            return
        }
        switch library.partial(named: name, indentation: indentation) {
        case .success(let program?):
            let savedOverrides = overrides
            if let blocks { overrides += blocks }
            depth += 1
            render(program)
            depth -= 1
            overrides = savedOverrides
        case .success(nil):
            if options.strict {
                report(offset, "no partial named '\(name)' (\(library.provider?.whereLooked(for: name) ?? "no partials folder was given"))")
            }
        case .failure(let error):
            for diagnostic in error.diagnostics where reported.insert(diagnostic).inserted {
                diagnostics.append(diagnostic)
            }
        }
    }

    private mutating func renderBlock(_ block: BlockNode) {
        let override = overrides.first { $0.name == block.name }
        if override == nil, !block.standalone {
            render(block.children)
            return
        }
        var text: String
        let delimiters: Delimiters
        if let override {
            text = override.dedented.text
            delimiters = override.delimiters
        } else {
            text = block.dedented.text
            delimiters = block.delimiters
        }
        if block.standalone {
            let intrinsic = block.dedented.indentation
            text = TextIndentation.indentNonBlank(text, by: intrinsic.isEmpty ? block.lineIndentation : intrinsic)
        }
        guard depth < Self.maximumDepth else { return }
        depth += 1
        render(library.fragment(text, delimiters: delimiters, path: source.path))
        depth -= 1
    }
}
