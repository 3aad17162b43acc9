public import MegaphoneValue
import Foundation

/// A compiled Mustache template with Megaphone's mail-merge extensions (filters,
/// loop variables, strict mode). Immutable and `Sendable`: compile once, render
/// many times, from several threads at once.
public struct Template: Sendable {
    /// How a value is escaped when written by `{{name}}`.
    public enum Escaping: Sendable {
        /// Plain text (letters, press releases): values are written as they are.
        case none
        /// HTML: `& < > " '` become entities, as the Mustache spec requires.
        case html
    }

    /// Settings fixed when the template compiles.
    public struct Options: Sendable {
        public var escaping: Escaping
        /// In strict mode a name with no value, an unknown filter, or a filter applied to
        /// the wrong kind of value is an error instead of an empty string.
        public var strict: Bool
        /// The locale for `upper`, `lower`, `title`, `capitalize` and `date` (BCP 47, such as `en`, `tr`, `ru`).
        public var locale: String

        public init(escaping: Escaping = .none, strict: Bool = true, locale: String = "en") {
            self.escaping = escaping
            self.strict = strict
            self.locale = locale
        }

        /// The settings the Mustache specification assumes: HTML escaping, lenient lookups.
        public static let mustacheSpec = Options(escaping: .html, strict: false)
    }

    let program: Program
    public let options: Options
    let library: PartialLibrary

    /// The path shown in this template's errors.
    public var path: String { program.source.path }

    /// The text of a line of the template's file (numbered as in the file), for
    /// showing under an error found outside the engine.
    public func sourceLine(_ line: Int) -> String { program.source.lineText(line) }

    /// Compiles `text`. Throws a `TemplateError` listing every problem found.
    /// - Parameters:
    ///   - startLine, firstLinePrefix: where the text sits in its file, when it was cut
    ///     from a larger one (a header value after `Subject: `), so errors point there.
    public init(source text: String, path: String, options: Options = Options(),
                partials: (any PartialProvider)? = nil,
                startLine: Int = 1, firstLinePrefix: String = "") throws(TemplateError) {
        let source = SourceFile(path: path, text: text, startLine: startLine, firstLinePrefix: firstLinePrefix)
        let (program, diagnostics) = PartialLibrary.compile(source, strict: options.strict)
        self.program = program
        self.options = options
        self.library = PartialLibrary(provider: partials, strict: options.strict)
        var all = diagnostics
        if options.strict { all += checkPartials(program, seen: []) }
        if !all.isEmpty { throw TemplateError(all) }
    }

    /// Compiles the template file at `path`, choosing HTML escaping for a `.html` file.
    /// A file that cannot be read throws `TemplateFileError`.
    public static func load(path: String, options: Options = Options(),
                            partials: (any PartialProvider)? = nil) throws -> Template {
        guard FileManager.default.fileExists(atPath: path) else {
            throw TemplateFileError(path: path, reason: .missing)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TemplateFileError(path: path, reason: .unreadable)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TemplateFileError(path: path, reason: .notUTF8)
        }
        var options = options
        if path.lowercased().hasSuffix(".html") || path.lowercased().hasSuffix(".htm") { options.escaping = .html }
        return try Template(source: text, path: path, options: options, partials: partials)
    }

    /// In strict mode, a fixed partial name that cannot be found is a compile error,
    /// and so is any error inside a partial.
    private func checkPartials(_ program: Program, seen: Set<String>) -> [TemplateDiagnostic] {
        var diagnostics: [TemplateDiagnostic] = []
        var seen = seen
        func visit(_ nodes: [Node]) {
            for node in nodes {
                switch node {
                case .section(let section): visit(section.children)
                case .block(let block): visit(block.children)
                case .partial(let partial): check(partial.reference, offset: partial.offset)
                case .parent(let parent):
                    check(parent.reference, offset: parent.offset)
                    for block in parent.blocks { visit(block.children) }
                case .text, .variable: break
                }
            }
        }
        func check(_ reference: TemplateReference, offset: Int) {
            guard case .fixed(let name) = reference, !seen.contains(name) else { return }
            seen.insert(name)
            switch library.partial(named: name, indentation: "") {
            case .success(let found?):
                diagnostics += checkPartials(found, seen: seen)
            case .success(nil):
                diagnostics.append(TemplateDiagnostic(
                    source: program.source, offset: offset,
                    message: "no partial named '\(name)' (\(library.provider?.whereLooked(for: name) ?? "no partials folder was given"))"))
            case .failure(let error):
                diagnostics += error.diagnostics
            }
        }
        visit(program.nodes)
        return diagnostics
    }

    /// Renders with `context` as the root of the context stack, appending UTF-8 to `buffer`.
    public func render(_ context: Value, into buffer: inout [UInt8]) throws(TemplateError) {
        try render(frames: [context], into: &buffer)
    }

    /// Renders with a context stack whose frames are searched last to first, so a
    /// message's own values can sit above shared campaign data without copying it.
    /// `pickKeys` are what `| pick` keys its choice on: the same keys choose the same
    /// items on every run.
    public func render(frames: [Value], pickKeys: PickKeys = PickKeys(), into buffer: inout [UInt8]) throws(TemplateError) {
        var renderer = Renderer(options: options, library: library, buffer: buffer, frames: frames)
        renderer.pickKeys = pickKeys
        buffer = []
        renderer.render(program)
        buffer = renderer.buffer
        if !renderer.diagnostics.isEmpty { throw TemplateError(renderer.diagnostics) }
    }

    /// Renders with a stack of context frames (see `render(frames:into:)`).
    public func render(frames: [Value], pickKeys: PickKeys = PickKeys()) throws(TemplateError) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        try render(frames: frames, pickKeys: pickKeys, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// The names this template's tags look up, as written (`recipient.name`), for
    /// telling which data values can land in its output.
    public var referencedNames: Set<String> {
        var names: Set<String> = []
        func visit(_ nodes: [Node]) {
            for node in nodes {
                switch node {
                case .variable(let expression, _): names.insert(expression.text)
                case .section(let section):
                    names.insert(section.expression.text)
                    visit(section.children)
                case .block(let block): visit(block.children)
                case .parent(let parent): for block in parent.blocks { visit(block.children) }
                case .text, .partial: break
                }
            }
        }
        visit(program.nodes)
        return names
    }

    /// Renders with `context` as the root of the context stack.
    public func render(_ context: Value) throws(TemplateError) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        try render(context, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}

/// A template file that could not be read.
public struct TemplateFileError: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable { case missing, unreadable, notUTF8 }
    public let path: String
    public let reason: Reason

    public var description: String {
        switch reason {
        case .missing: "\(path): no such file; check the path"
        case .unreadable: "\(path): cannot be read; check its permissions"
        case .notUTF8: "\(path): is not valid UTF-8 text; save it as UTF-8"
        }
    }
}
