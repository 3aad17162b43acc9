/// A display name and an address, as in `Daniyar Akhmetov <d@example.org>`.
public struct Mailbox: Sendable, Hashable {
    /// The display name; empty when there is none. Never holds CR, LF or NUL.
    public let displayName: String
    public let address: EmailAddress

    public init(displayName: String = "", address: EmailAddress) throws(AddressError) {
        if displayName.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw AddressError(text: displayName, reason: "is a display name with a line break or NUL character, which could inject mail headers", kind: .lineBreak)
        }
        self.displayName = displayName.collapsingWhitespace
        self.address = address
    }

    /// Parses one mailbox: `Name <addr>`, `"Quoted, Name" <addr>` or a bare `addr`.
    public init(parsing text: String, allowUTF8: Bool = false) throws(AddressError) {
        let trimmed = text.trimmingWhitespace
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            let inner = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            var name = String(trimmed[..<open]).trimmingWhitespace
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
                name = Self.unquote(String(name.dropFirst().dropLast()))
            }
            try self.init(displayName: name, address: EmailAddress(inner, allowUTF8: allowUTF8))
        } else {
            try self.init(address: EmailAddress(trimmed, allowUTF8: allowUTF8))
        }
    }

    private static func unquote(_ text: String) -> String {
        var result = ""
        var escaped = false
        for character in text {
            if escaped { result.append(character); escaped = false } else if character == "\\" { escaped = true } else { result.append(character) }
        }
        return result
    }

    /// Splits an address list at the commas between mailboxes. A comma inside quotes
    /// or angle brackets, or in a display name before its `<address>` (as in
    /// `Embassy of X, London <x@example.org>`), does not split.
    public static func parseList(_ text: String, allowUTF8: Bool = false) throws(AddressError) -> [Mailbox] {
        var parts: [String] = []
        var current = ""
        var inQuotes = false
        var inAngle = false
        var escaped = false
        var sawAddress = false
        for character in text {
            if escaped { current.append(character); escaped = false; continue }
            switch character {
            case "\\" where inQuotes: escaped = true
            case "\"": inQuotes.toggle()
            case "<" where !inQuotes: inAngle = true
            case ">" where !inQuotes: inAngle = false; sawAddress = true
            case "@" where !inQuotes && !inAngle: sawAddress = true
            default: break
            }
            if character == ",", !inQuotes, !inAngle, sawAddress {
                parts.append(current)
                current = ""
                sawAddress = false
                continue
            }
            current.append(character)
        }
        parts.append(current)
        var result: [Mailbox] = []
        for part in parts where !part.trimmingWhitespace.isEmpty {
            result.append(try Mailbox(parsing: part, allowUTF8: allowUTF8))
        }
        return result
    }
}

extension String {
    /// Runs of white space become one space; the ends are trimmed.
    var collapsingWhitespace: String {
        var previous: UInt8 = 32
        var clean = true
        for byte in utf8 {
            if byte == 9 || (byte == 32 && previous == 32) { clean = false; break }
            previous = byte
        }
        if clean && previous != 32 { return self }   // already single-spaced and trimmed
        return split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// Whether the text holds `=?`, the start of an RFC 2047 encoded word (over bytes:
    /// Foundation's `contains` is far slower).
    var hasEncodedWordStart: Bool { Substring(self).hasEncodedWordStart }
}

extension Substring {
    var hasEncodedWordStart: Bool {
        var previous: UInt8 = 0
        for byte in utf8 {
            if byte == UInt8(ascii: "?"), previous == UInt8(ascii: "=") { return true }
            previous = byte
        }
        return false
    }
}
