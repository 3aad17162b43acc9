import Foundation

/// A compiled piece of template: its source (for error locations) and its nodes.
struct Program: Sendable {
    let source: SourceFile
    let nodes: [Node]
}

/// Compiles partials and derived fragments on first use and keeps them, so a
/// template renders many times (from many threads) without compiling again.
final class PartialLibrary: @unchecked Sendable {
    let provider: (any PartialProvider)?
    let strict: Bool
    private let lock = NSLock()
    private var partials: [String: Result<Program?, TemplateError>] = [:]
    private var fragments: [FragmentKey: Program] = [:]

    private struct FragmentKey: Hashable {
        let text: String
        let delimiters: Delimiters
    }

    init(provider: (any PartialProvider)?, strict: Bool) {
        self.provider = provider
        self.strict = strict
    }

    static func compile(_ source: SourceFile, strict: Bool, delimiters: Delimiters = .standard) -> (Program, [TemplateDiagnostic]) {
        let lexer = Lexer(source: source, delimiters: delimiters)
        var parser = Parser(source: source, strict: strict)
        let nodes = parser.parse(lexer.tokens)
        let diagnostics = (lexer.diagnostics + parser.diagnostics).sorted {
            ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column)
        }
        return (Program(source: source, nodes: nodes), diagnostics)
    }

    /// The partial called `name`, indented by `indentation`; nil when there is none.
    func partial(named name: String, indentation: String) -> Result<Program?, TemplateError> {
        let key = indentation + "\u{0}" + name
        lock.lock()
        if let cached = partials[key] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        let result = load(name: name, indentation: indentation)
        lock.lock()
        partials[key] = result
        lock.unlock()
        return result
    }

    private func load(name: String, indentation: String) -> Result<Program?, TemplateError> {
        guard let provider else { return .success(nil) }
        let found: PartialSource?
        do {
            found = try provider.partial(named: name)
        } catch {
            let message = "cannot read partial '\(name)': \(error)"
            return .failure(TemplateError([TemplateDiagnostic(path: name, location: SourceLocation(line: 1, column: 1), message: message, sourceLine: "")]))
        }
        guard let found else { return .success(nil) }
        let text = TextIndentation.indent(found.text, by: indentation)
        let (program, diagnostics) = Self.compile(SourceFile(path: found.path, text: text), strict: strict)
        return diagnostics.isEmpty ? .success(program) : .failure(TemplateError(diagnostics))
    }

    /// Template text made at render time (a re-indented block), compiled once.
    func fragment(_ text: String, delimiters: Delimiters, path: String) -> Program {
        let key = FragmentKey(text: text, delimiters: delimiters)
        lock.lock()
        if let cached = fragments[key] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        let (program, _) = Self.compile(SourceFile(path: path, text: text), strict: strict, delimiters: delimiters)
        lock.lock()
        fragments[key] = program
        lock.unlock()
        return program
    }
}
