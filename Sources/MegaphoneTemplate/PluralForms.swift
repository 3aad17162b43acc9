import Foundation
import MegaphoneValue

/// The forms a `plural` filter was given: `"# day|# days"` (in the order of the
/// language's categories, `PluralRules.categories(for:)`), or named,
/// `"one: # день | few: # дня | many: # дней"`. `#` stands for the number.
struct PluralForms: Sendable, Equatable {
    /// Forms given in order, without names.
    let positional: [String]
    /// Forms given by category name.
    let named: [PluralRules.Category: String]

    struct Problem: Error {
        let message: String
    }

    static func parse(_ text: String) -> Result<PluralForms, Problem> {
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.contains(where: \.isEmpty) else {
            return .failure(Problem(message: "the filter 'plural' has an empty form; write each form between the '|', as in | plural: \"# day|# days\""))
        }
        var named: [PluralRules.Category: String] = [:]
        var positional: [String] = []
        for part in parts {
            if let colon = part.firstIndex(of: ":"), let category = PluralRules.Category(rawValue: part[..<colon].trimmingCharacters(in: .whitespaces)) {
                named[category] = part[part.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            } else {
                positional.append(part)
            }
        }
        guard named.isEmpty || positional.isEmpty else {
            return .failure(Problem(message: "the filter 'plural' mixes named forms (one: …) with unnamed ones; name them all or none"))
        }
        return .success(PluralForms(positional: positional, named: named))
    }

    /// The form for `number` in `language`, with `#` replaced by the number; a
    /// failure says which forms the language needs.
    func form(for number: Int, language: String) -> Result<String, FilterFailure> {
        let categories = PluralRules.categories(for: language)
        let required = PluralRules.requiredCategories(for: language)
        let example = required.map(\.rawValue).joined(separator: "|")
        var byCategory = named
        if !positional.isEmpty {
            guard positional.count == required.count || positional.count == categories.count else {
                return .failure(FilterFailure(message: "the filter 'plural' has \(positional.count) form\(positional.count == 1 ? "" : "s"), but '\(language)' needs \(required.count) (\(example)), in that order"))
            }
            for (category, form) in zip(positional.count == categories.count ? categories : required, positional) { byCategory[category] = form }
        } else if let missing = required.first(where: { byCategory[$0] == nil }) {
            return .failure(FilterFailure(message: "the filter 'plural' has no '\(missing.rawValue)' form, which '\(language)' needs (\(example))"))
        }
        let category = PluralRules.category(of: number, language: language)
        guard let chosen = byCategory[category] ?? byCategory[.other] ?? required.last.flatMap({ byCategory[$0] }) else {
            return .failure(FilterFailure(message: "the filter 'plural' has no '\(category.rawValue)' form for \(number) in '\(language)' (\(example))"))
        }
        return .success(chosen.replacingOccurrences(of: "#", with: String(number)))
    }

    /// A whole number from a number or numeric text.
    static func wholeNumber(_ value: Value) -> Int? {
        switch value {
        case .int(let number): number
        case .double(let number): number.rounded() == number && abs(number) < 1e15 ? Int(number) : nil
        case .string(let text): Int(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }
}
