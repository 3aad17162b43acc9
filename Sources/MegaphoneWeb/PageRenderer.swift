import Foundation
import MegaphoneTemplate
import MegaphoneValue

/// The pages' templates (HTML mode: every value is escaped unless a template asks
/// otherwise) and interface strings, compiled once. A campaign's `page.templates`
/// folder may replace any of them; the rest come built in.
struct PageRenderer: Sendable {
    let language: String
    let strings: Value
    private let templates: [String: Template]
    private let stringTable: [String: String]

    static let names = ["layout", "campaign", "message", "confirm", "admin", "admin-login"]

    /// The built-in English pages: the sentences of answers given before any campaign is known.
    static let english: PageRenderer? = try? PageRenderer(language: "en", overrides: nil)

    /// The folder of built-in pages shipped with the program.
    static var builtInFolder: String {
        Bundle.module.url(forResource: "Pages", withExtension: nil)?.path ?? "Pages"
    }

    init(language requested: String, overrides: String?) throws {
        let builtIn = Self.builtInFolder
        func file(_ name: String) -> String {
            if let overrides, FileManager.default.fileExists(atPath: "\(overrides)/\(name)") { return "\(overrides)/\(name)" }
            return "\(builtIn)/\(name)"
        }
        let base = requested.split(separator: "-").first.map { String($0).lowercased() } ?? "en"
        language = FileManager.default.fileExists(atPath: file("strings.\(base).json")) ? base : "en"
        let stringsFile = file("strings.\(language).json")
        guard let data = FileManager.default.contents(atPath: stringsFile) else {
            throw PageError(path: stringsFile, message: "the page strings file is missing")
        }
        var value = try JSONParser.parse([UInt8](data))
        // English fills in any string a translation lacks.
        if language != "en", let english = FileManager.default.contents(atPath: file("strings.en.json")) {
            value = try JSONParser.parse([UInt8](english)).merging(value)
        }
        strings = value
        var table: [String: String] = [:]
        if case .object(let object) = value {
            for (key, member) in object { if case .string(let text) = member { table[key] = text } }
        }
        stringTable = table
        var compiled: [String: Template] = [:]
        for name in Self.names {
            let path = file("\(name).html")
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            compiled[name] = try Template.load(path: path, options: Template.Options(escaping: .html, strict: false, locale: language),
                                               partials: PartialDirectory(directories: [folder], templateExtension: "html"))
        }
        templates = compiled
    }

    /// An interface string; `%d`/`%s` are replaced by `argument`.
    func text(_ key: String, _ argument: String? = nil) -> String {
        let template = stringTable[key] ?? key
        guard let argument else { return template }
        return template.replacingOccurrences(of: "%d", with: argument).replacingOccurrences(of: "%s", with: argument)
    }

    /// An interface string with named places filled: `{fields}`, `{recipients}`.
    func text(_ key: String, filling values: [String: String]) -> String {
        var result = stringTable[key] ?? key
        for (name, value) in values { result = result.replacingOccurrences(of: "{\(name)}", with: value) }
        return result
    }

    /// The form of `key` for `count`, by the language's plural rules (CLDR): the string
    /// is an object of forms (`{"one": "%d person has signed", "other": …}`); `%d` is
    /// the count, grouped as the language groups digits.
    func plural(_ key: String, _ count: Int) -> String {
        let shown = number(count)
        guard case .object(let forms)? = strings[key] else { return text(key, shown) }
        let category = PluralRules.category(of: count, language: language)
        let chosen = forms[category.rawValue] ?? forms["other"] ?? forms["many"]
        guard case .string(let form)? = chosen else { return text(key, shown) }
        return form.replacingOccurrences(of: "%d", with: shown)
    }

    /// A whole number with its digits grouped as the language writes them: 12,345 in
    /// English, 12.345 in German, 12 345 in Russian, Kazakh and French.
    func number(_ value: Int) -> String {
        let separator: String = switch language {
        case "en": ","
        case "de": "."
        default: "\u{00A0}"
        }
        let digits = Array(String(value.magnitude))
        var out = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += separator }
            out.append(digit)
        }
        return out
    }

    /// A list in the language's words: "name, organisation and city".
    func list(_ items: [String]) -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " " + text("and") + " " + last
    }

    /// Renders page `name` with `context` inside the layout: a complete HTML document.
    /// `footer` replaces the usual one (about signers' addresses) where it does not fit.
    /// `error` puts "Error:" before the document's title (a form shown again to be fixed).
    func page(_ name: String, title: String, context: Object, script: Bool = false, footer: String? = nil, error: Bool = false) -> String {
        let strings = footer.map { self.strings.merging(.object(["footer": .string($0)])) } ?? self.strings
        var inner = context
        inner["t"] = strings
        inner["lang"] = .string(language)
        inner["title"] = .string(title)
        let body = (try? templates[name]?.render(.object(inner))) ?? ""
        var outer: Object = ["t": strings, "lang": .string(language), "title": .string(title), "body": .string(body), "error": .bool(error)]
        if script { outer["script"] = .bool(true) }
        return (try? templates["layout"]?.render(.object(outer))) ?? body
    }

    /// A page with a heading and paragraphs (check your email, thanks, errors).
    func message(title: String, heading: String, paragraphs: [String], back: String? = nil, footer: String? = nil) -> String {
        var context: Object = ["heading": .string(heading), "paragraphs": .array(paragraphs.map(Value.string))]
        if let back { context["back"] = .string(back) }
        return page("message", title: title, context: context, footer: footer)
    }
}

/// A page template or strings file that cannot be used.
struct PageError: Error, CustomStringConvertible {
    let path: String
    let message: String
    var description: String { "\(path): error: \(message)" }
}
