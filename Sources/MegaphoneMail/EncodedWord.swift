import Foundation

/// RFC 2047 encoded words (`=?utf-8?b?…?=`) for non-ASCII text in headers: only the
/// words that need it are encoded, and each encoded word fits on a folded line.
enum EncodedWord {
    /// At most 45 bytes of text per word: `=?utf-8?b?` + 60 base64 characters + `?=` is 72.
    private static let maximumBytes = 45

    /// Encodes `text` as one or more encoded words (split between Unicode scalars).
    static func encode(_ text: String, maximumBytes: Int = maximumBytes) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > maximumBytes {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
        return words
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?utf-8?b?" + Data(bytes).base64EncodedString() + "?="
    }

    /// Whether a word of unstructured text must be encoded to survive intact:
    /// non-ASCII, control characters, something that looks like an encoded word, or
    /// a word too long to fold.
    static func needsEncoding(_ word: Substring) -> Bool {
        if (word.utf8.count > 70 && word.count > 70) || word.hasEncodedWordStart { return true }
        return word.unicodeScalars.contains { !$0.isASCII || $0.value < 0x20 || $0.value == 0x7F }
    }
}
