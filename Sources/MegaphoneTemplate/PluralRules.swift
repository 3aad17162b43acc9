/// CLDR's cardinal plural rules: which form of a word a number takes in a language
/// ("1 day", "2 days"; "1 день", "2 дня", "5 дней"). Whole numbers only — counts of
/// signatures, letters and days — so CLDR's operands reduce to the integer `i`.
public enum PluralRules {
    /// A CLDR plural category.
    public enum Category: String, Sendable, CaseIterable {
        case zero, one, two, few, many, other
    }

    /// The categories whole numbers take in `language`, in CLDR's order: the forms a
    /// `plural` filter lists, in that order.
    public static func categories(for language: String) -> [Category] {
        switch family(of: language) {
        case .oneOther: [.one, .other]
        case .french: [.one, .many, .other]
        case .eastSlavic: [.one, .few, .many]
        case .polish: [.one, .few, .many]
        case .czech: [.one, .few, .other]
        case .noForms: [.other]
        }
    }

    /// The categories a `plural` filter must be given (French's "many", for round
    /// millions, falls back to "other" when left out).
    public static func requiredCategories(for language: String) -> [Category] {
        family(of: language) == .french ? [.one, .other] : categories(for: language)
    }

    /// The category of the whole number `number` in `language`.
    public static func category(of number: Int, language: String) -> Category {
        let i = number.magnitude
        switch family(of: language) {
        case .oneOther:
            return i == 1 ? .one : .other
        case .french:
            if i == 0 || i == 1 { return .one }
            return i % 1_000_000 == 0 ? .many : .other
        case .eastSlavic:
            if i % 10 == 1, i % 100 != 11 { return .one }
            if (2...4).contains(i % 10), !(12...14).contains(i % 100) { return .few }
            return .many
        case .polish:
            if i == 1 { return .one }
            if (2...4).contains(i % 10), !(12...14).contains(i % 100) { return .few }
            return .many
        case .czech:
            if i == 1 { return .one }
            return (2...4).contains(i) ? .few : .other
        case .noForms:
            return .other
        }
    }

    /// Languages grouped by rule. Unlisted languages take English's rule (one, other),
    /// the most common one.
    private enum Family { case oneOther, french, eastSlavic, polish, czech, noForms }

    private static func family(of language: String) -> Family {
        let base = language.split(separator: "-").first.map { $0.lowercased() } ?? ""
        switch base {
        case "fr": return .french
        case "ru", "uk", "be": return .eastSlavic
        case "pl": return .polish
        case "cs", "sk": return .czech
        case "ja", "zh", "ko", "vi", "th", "id", "ms": return .noForms
        default: return .oneOther   // en, de, kk, nl, sv, it, es, tr, …
        }
    }
}
