import Foundation

/// A plain-text letter shown as text that wraps on any screen: its paragraphs, each
/// with the line breaks its author meant. A letter's template wraps long sentences
/// at about 72–80 characters; shown as they are, on a phone those lines break twice.
/// A line that ends a short line (a list item, a signature, "Yours sincerely,") keeps
/// its break; lines of a wrapped sentence are joined.
enum LetterPreview {
    /// The paragraphs (separated by blank lines), each as the lines to show.
    static func paragraphs(_ text: String) -> [[String]] {
        var paragraphs: [[String]] = []
        var current: [String] = []
        var previousLength = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if !current.isEmpty { paragraphs.append(current) }
                current = []
                previousLength = 0
                continue
            }
            // A wrapped sentence: the line before ran close to the wrapping width and
            // this one does not start a list item.
            if let last = current.last, previousLength >= 60, !startsListItem(trimmed) {
                current[current.count - 1] = last + " " + trimmed
            } else {
                current.append(trimmed)
            }
            previousLength = line.count
        }
        if !current.isEmpty { paragraphs.append(current) }
        return paragraphs
    }

    /// `1. `, `12) `, `- `, `* `, `• `.
    private static func startsListItem(_ line: String) -> Bool {
        if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("• ") { return true }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 3 else { return false }
        let rest = line.dropFirst(digits.count)
        return rest.hasPrefix(". ") || rest.hasPrefix(") ")
    }
}
