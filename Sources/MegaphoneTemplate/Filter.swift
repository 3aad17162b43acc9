import Foundation
import MegaphoneValue

/// A built-in filter that transforms a tag's value: `{{ name | upper }}`.
enum Filter: Sendable {
    case upper, lower, capitalize, title, trim, count
    case defaultValue(Value)
    case join(String)
    case date(String)
    /// One item of a list, chosen by a stable hash of the message's key (or the
    /// signer's, or the recipient's): `{{ openings | pick }}`, `{{ openings | pick: "signer" }}`.
    case pick(String)
    /// The form of a word for a count, by the locale's CLDR plural rules:
    /// `{{ days | plural: "# day|# days" }}`, `{{ days | plural: "# день|# дня|# дней" }}`.
    case plural(PluralForms)

    /// Why a filter could not be made from what the template wrote.
    struct Problem: Error {
        let message: String
        /// Argument problems are errors even in lenient mode; an unknown name is not.
        let isArgumentProblem: Bool
    }

    static let names = ["upper", "lower", "capitalize", "title", "trim", "default", "join", "date", "count", "pick", "plural"]
    /// What `pick` may be keyed on; the caller of `render` supplies the keys.
    static let pickScopes = ["message", "signer", "recipient"]

    static func make(name: String, argument: Value?) -> Result<Filter, Problem> {
        func noArgument(_ filter: Filter) -> Result<Filter, Problem> {
            guard argument == nil else {
                return .failure(Problem(message: "the filter '\(name)' takes no argument; write | \(name)", isArgumentProblem: true))
            }
            return .success(filter)
        }
        switch name {
        case "upper": return noArgument(.upper)
        case "lower": return noArgument(.lower)
        case "capitalize": return noArgument(.capitalize)
        case "title": return noArgument(.title)
        case "trim": return noArgument(.trim)
        case "count": return noArgument(.count)
        case "default":
            guard let argument else {
                return .failure(Problem(message: "the filter 'default' needs a value, as in | default: \"Your Excellency\"", isArgumentProblem: true))
            }
            return .success(.defaultValue(argument))
        case "join":
            guard let argument else { return .success(.join(", ")) }
            guard case .string(let separator) = argument else {
                return .failure(Problem(message: "the filter 'join' takes quoted text, as in | join: \", \"", isArgumentProblem: true))
            }
            return .success(.join(separator))
        case "date":
            guard let argument else { return .success(.date("d MMMM yyyy")) }
            guard case .string(let pattern) = argument else {
                return .failure(Problem(message: "the filter 'date' takes a quoted pattern, as in | date: \"d MMMM yyyy\"", isArgumentProblem: true))
            }
            return .success(.date(pattern))
        case "pick":
            guard let argument else { return .success(.pick("message")) }
            guard case .string(let scope) = argument, pickScopes.contains(scope) else {
                return .failure(Problem(message: "the filter 'pick' takes \(pickScopes.map { "\"\($0)\"" }.joined(separator: ", ")) (what the choice is keyed on), as in | pick: \"signer\"", isArgumentProblem: true))
            }
            return .success(.pick(scope))
        case "plural":
            guard case .string(let text)? = argument else {
                return .failure(Problem(message: "the filter 'plural' takes the forms of the word, separated by '|', as in | plural: \"# signature|# signatures\" ('#' is the number)", isArgumentProblem: true))
            }
            switch PluralForms.parse(text) {
            case .success(let forms): return .success(.plural(forms))
            case .failure(let problem): return .failure(Problem(message: problem.message, isArgumentProblem: true))
            }
        default:
            let suggestion = closest(to: name).map { " (did you mean '\($0)'?)" } ?? ""
            return .failure(Problem(
                message: "unknown filter '\(name)'\(suggestion); the filters are \(names.joined(separator: ", "))",
                isArgumentProblem: false))
        }
    }

    private static func closest(to name: String) -> String? {
        let scored = names.map { ($0, editDistance($0, name.lowercased())) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= 2 else { return nil }
        return best
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where i <= a.count {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where j <= b.count {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }

    var name: String {
        switch self {
        case .upper: "upper"
        case .lower: "lower"
        case .capitalize: "capitalize"
        case .title: "title"
        case .trim: "trim"
        case .count: "count"
        case .defaultValue: "default"
        case .join: "join"
        case .date: "date"
        case .pick: "pick"
        case .plural: "plural"
        }
    }

    /// Applies the filter. `nil` stands for a missing value, which only `default`
    /// replaces; every other filter passes it on. A wrong kind of value is reported
    /// as `.failure` with a message saying what the filter expects.
    func apply(to value: Value?, locale: String, pickSeed: String? = nil) -> Result<Value?, FilterFailure> {
        if case .defaultValue(let fallback) = self {
            guard let value else { return .success(fallback) }
            switch value {
            case .null: return .success(fallback)
            case .string(let text) where text.isEmpty: return .success(fallback)
            default: return .success(value)
            }
        }
        guard let value else { return .success(nil) }
        switch self {
        case .upper, .lower, .capitalize, .title, .trim:
            guard let text = value.scalarText, !value.isNull else {
                return .failure(FilterFailure(message: "the filter '\(name)' works on text, but the value is \(value.kindName)"))
            }
            return .success(.string(transformText(text, locale: locale)))
        case .count:
            switch value {
            case .array(let items): return .success(.int(items.count))
            case .object(let members): return .success(.int(members.count))
            default:
                return .failure(FilterFailure(message: "the filter 'count' works on a list, but the value is \(value.kindName)"))
            }
        case .join(let separator):
            guard case .array(let items) = value else {
                return .failure(FilterFailure(message: "the filter 'join' works on a list, but the value is \(value.kindName)"))
            }
            var parts: [String] = []
            for item in items {
                guard let text = item.scalarText else {
                    return .failure(FilterFailure(message: "the filter 'join' needs a list of text, but an item is \(item.kindName)"))
                }
                parts.append(text)
            }
            return .success(.string(parts.joined(separator: separator)))
        case .date(let pattern):
            guard case .string(let text) = value else {
                return .failure(FilterFailure(message: "the filter 'date' works on an ISO 8601 date such as 2026-11-27, but the value is \(value.kindName)"))
            }
            guard let formatted = DateText.format(iso: text, pattern: pattern, locale: locale) else {
                return .failure(FilterFailure(message: "the filter 'date' needs an ISO 8601 date such as 2026-11-27 or 2026-11-27T10:00:00+01:00, but got '\(text)'"))
            }
            return .success(.string(formatted))
        case .pick(let scope):
            guard case .array(let items) = value else {
                return .failure(FilterFailure(message: "the filter 'pick' chooses among a list of alternatives, but the value is \(value.kindName); a .txt data file with items separated by blank lines gives such a list"))
            }
            guard !items.isEmpty else { return .failure(FilterFailure(message: "the filter 'pick' needs at least one alternative, but the list is empty")) }
            guard let pickSeed else {
                return .failure(FilterFailure(message: "the filter 'pick: \"\(scope)\"' has no \(scope) to key its choice on here; \(scope == "signer" ? "a signer exists only in each-signer mode" : "use | pick")"))
            }
            return .success(items[Int(Self.stableHash(pickSeed) % UInt64(items.count))])
        case .plural(let forms):
            guard let number = PluralForms.wholeNumber(value) else {
                return .failure(FilterFailure(message: "the filter 'plural' works on a whole number, but the value is \(value.kindName)\(value.scalarText.map { " '\($0)'" } ?? "")"))
            }
            switch forms.form(for: number, language: locale) {
            case .success(let text): return .success(.string(text))
            case .failure(let failure): return .failure(failure)
            }
        case .defaultValue:
            return .success(value)
        }
    }

    /// FNV-1a, 64-bit: the same text gives the same number on every run and machine
    /// (Swift's own hashing is seeded per process).
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        // Mix the high bits down: FNV's low bits alone spread short keys poorly.
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }

    private func transformText(_ text: String, locale: String) -> String {
        switch self {
        case .upper: Casing.upper(text, locale: locale)
        case .lower: Casing.lower(text, locale: locale)
        case .capitalize: Casing.capitalize(text, locale: locale)
        case .title: Casing.title(text, locale: locale)
        case .trim: text.trimmingCharacters(in: .whitespacesAndNewlines)
        default: text
        }
    }
}

/// Why a filter could not apply to the value it was given.
struct FilterFailure: Error {
    let message: String
}
