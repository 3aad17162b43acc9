import Foundation

/// Locale-aware upper/lower/title casing. Swift's own casing is Unicode-correct
/// (`straße` → `STRASSE`); the Turkic dotted and dotless i are handled here for
/// Turkish, Azerbaijani and Kazakh, where ICU's tailoring does not cover them all.
enum Casing {
    private static let turkicLanguages: Set<String> = ["tr", "az", "kk", "crh", "tt"]

    static func language(of locale: String) -> String {
        let lowered = locale.lowercased()
        let end = lowered.firstIndex(where: { $0 == "-" || $0 == "_" }) ?? lowered.endIndex
        return String(lowered[..<end])
    }

    static func isTurkic(_ locale: String) -> Bool { turkicLanguages.contains(language(of: locale)) }

    static func upper(_ text: String, locale: String) -> String {
        guard isTurkic(locale) else { return text.uppercased() }
        return map(text, turkic: ["i": "\u{0130}", "\u{0131}": "I"]) { $0.uppercased() }
    }

    static func lower(_ text: String, locale: String) -> String {
        guard isTurkic(locale) else { return text.lowercased() }
        return map(text, turkic: ["I": "\u{0131}", "\u{0130}": "i"]) { $0.lowercased() }
    }

    /// Cases `text` scalar by scalar, with the Turkic dotted/dotless i mapped first.
    private static func map(_ text: String, turkic: [Unicode.Scalar: Unicode.Scalar], _ transform: (String) -> String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let special = turkic[scalar] {
                result.unicodeScalars.append(special)
            } else {
                result.append(transform(String(scalar)))
            }
        }
        return result
    }

    /// Upper-cases the first letter only; the rest is left as written.
    static func capitalize(_ text: String, locale: String) -> String {
        guard let first = text.first else { return text }
        return upper(String(first), locale: locale) + text.dropFirst()
    }

    /// Upper-cases the first letter of each word and lower-cases the rest; words are
    /// separated by white space and hyphens ("jean-luc" → "Jean-Luc").
    static func title(_ text: String, locale: String) -> String {
        var result = ""
        var word = ""
        func flush() {
            if let first = word.first {
                result += upper(String(first), locale: locale) + lower(String(word.dropFirst()), locale: locale)
            }
            word = ""
        }
        for character in text {
            if character.isWhitespace || character == "-" {
                flush()
                result.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return result
    }
}
