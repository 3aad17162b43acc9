/// Builds one header field, folding it at white space so that lines stay within 78
/// characters where possible (RFC 5322 §2.2.3), and never beyond 998.
struct HeaderFolder {
    private(set) var lines: [String] = []
    private var current: String

    init(name: String) {
        current = name + ":"
    }

    /// Adds a token that must not be broken, after `separator` (white space, or
    /// empty to join the token to the previous one).
    mutating func append(_ token: String, separator: String = " ") {
        if separator.isEmpty {
            current += token
            return
        }
        if current.utf8.count + separator.utf8.count + token.utf8.count > 78, !isOnlyName {
            lines.append(current)
            current = separator + token
        } else {
            current += separator + token
        }
    }

    private var isOnlyName: Bool { current.last == ":" }

    /// The field's bytes, lines joined with CRLF and ended with CRLF.
    mutating func finish() -> String {
        lines.append(current)
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// An unstructured value (Subject, X-…), trimmed: inner white space kept exactly, words needing
    /// it encoded, consecutive encoded words merged with the space between them.
    static func unstructured(name: String, value: String) -> String {
        var folder = HeaderFolder(name: name)
        // Split into (white space before, word) pairs.
        var pieces: [(space: String, word: String)] = []
        if value.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: one byte is one character, so split over bytes.
            let utf8 = value.utf8
            func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 }
            var index = utf8.startIndex
            while index < utf8.endIndex {
                let spaceStart = index
                while index < utf8.endIndex, isSpace(utf8[index]) { index = utf8.index(after: index) }
                let wordStart = index
                while index < utf8.endIndex, !isSpace(utf8[index]) { index = utf8.index(after: index) }
                if wordStart < index { pieces.append((String(value[spaceStart..<wordStart]), String(value[wordStart..<index]))) }
            }
        } else {
            var space = ""
            var word = ""
            for character in value {
                if character == " " || character == "\t" {
                    if !word.isEmpty {
                        pieces.append((space, word))
                        space = ""
                        word = ""
                    }
                    space.append(character)
                } else {
                    word.append(character)
                }
            }
            if !word.isEmpty { pieces.append((space, word)) }
        }

        var index = 0
        var first = true
        while index < pieces.count {
            let piece = pieces[index]
            let separator = first ? " " : piece.space
            if EncodedWord.needsEncoding(Substring(piece.word)) {
                // Merge the run of words needing encoding, with the white space between them.
                var text = piece.word
                var end = index + 1
                while end < pieces.count, EncodedWord.needsEncoding(Substring(pieces[end].word)) {
                    text += pieces[end].space + pieces[end].word
                    end += 1
                }
                for (offset, encoded) in EncodedWord.encode(text).enumerated() {
                    folder.append(encoded, separator: offset == 0 ? separator : " ")
                }
                index = end
            } else {
                folder.append(piece.word, separator: separator)
                index += 1
            }
            first = false
        }
        return folder.finish()
    }

    /// A word that can stand in a display name as it is: an atom, not looking like an
    /// encoded word, short enough to fold around.
    private static func isPlainAtom(_ word: Substring) -> Bool {
        word.allSatisfy(EmailAddress.atext.contains) && !word.hasEncodedWordStart && word.count <= 70
    }

    /// The tokens of a display name: atoms as they are, a quoted string for ASCII
    /// names with special characters, encoded words for the rest.
    static func displayNameTokens(_ name: String) -> [String] {
        // Most names are ASCII atoms between single spaces ("Ana Lima"): split over bytes.
        if name.utf8.allSatisfy({ $0 == 32 || ($0 < 128 && EmailAddress.atextBytes[Int($0)]) }), !name.hasEncodedWordStart {
            return name.utf8.split(separator: 32).map { String(decoding: $0, as: UTF8.self) }
        }
        let words = name.split(separator: " ")
        let isASCIIPrintable = name.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        if isASCIIPrintable, !name.hasEncodedWordStart {
            if words.allSatisfy({ $0.allSatisfy(EmailAddress.atext.contains) }) { return words.map(String.init) }
            if name.utf8.count < 900 {
                let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                return ["\"" + escaped + "\""]
            }
        }
        var tokens: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            if isPlainAtom(word) {
                tokens.append(String(word))
                index += 1
                continue
            }
            var text = String(word)
            var end = index + 1
            while end < words.count, !isPlainAtom(words[end]) {
                text += " " + words[end]
                end += 1
            }
            // One encoded word per run, even past RFC 2047's 75 characters: decoders
            // disagree on the space between two adjacent encoded words in a phrase
            // (RFC 2047 drops it, Python's email keeps one), so splitting would
            // change the name for some readers. Lines stay far below 998 octets.
            tokens += EncodedWord.encode(text, maximumBytes: 600)
            index = end
        }
        return tokens
    }

    /// An address header: mailboxes separated by commas, folded between tokens.
    static func addresses(name: String, _ mailboxes: [Mailbox]) -> String {
        var folder = HeaderFolder(name: name)
        for (index, mailbox) in mailboxes.enumerated() {
            let isLast = index == mailboxes.count - 1
            let address = mailbox.address.description
            if mailbox.displayName.isEmpty {
                folder.append(address + (isLast ? "" : ","))
            } else {
                for token in displayNameTokens(mailbox.displayName) { folder.append(token) }
                folder.append("<" + address + ">" + (isLast ? "" : ","))
            }
        }
        return folder.finish()
    }
}

import Foundation
