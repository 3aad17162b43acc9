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
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "i": result.unicodeScalars.append("\u{0130}")
            case "\u{0131}": result.unicodeScalars.append("I")
            default: result.append(String(scalar).uppercased())
            }
        }
        return result
    }

    static func lower(_ text: String, locale: String) -> String {
        guard isTurkic(locale) else { return text.lowercased() }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "I": result.unicodeScalars.append("\u{0131}")
            case "\u{0130}": result.unicodeScalars.append("i")
            default: result.append(String(scalar).lowercased())
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
