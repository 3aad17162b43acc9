import Foundation

/// An address (addr-spec, RFC 5321/5322) that has been checked: a local part and
/// an ASCII domain (an internationalised domain is turned into punycode).
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    public let localPart: String
    /// The domain in ASCII (`xn--` labels for non-ASCII names).
    public let domain: String

    /// `local@domain`, as it goes on the envelope and in headers.
    public var description: String { "\(localPart)@\(domain)" }

    /// The mailbox as RFC 5321 sees it: the domain case-folded, the local part as
    /// written (the standard leaves its case to the receiving server). Megaphone
    /// compares people's addresses with `key`, which folds both.
    public var comparisonKey: String { "\(localPart)@\(domain.lowercased())" }

    /// This address's `EmailAddress.key`.
    public var key: String { Self.key("\(localPart)@\(domain)") }

    /// The one rule for whether two addresses are the same person's, used by the
    /// signature store (one signature per address), a campaign's duplicate
    /// recipients and signers, and the suppression list: spaces trimmed, and the
    /// whole address case-folded. RFC 5321 lets a server tell `Ana@` from `ana@`, but
    /// no mail provider in use does, and every harm here lies the other way: a
    /// signature counted twice, a letter sent twice, an unsubscribed supporter
    /// written to again.
    public static func key(_ address: String) -> String {
        address.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Whether the local part has non-ASCII characters (SMTPUTF8 is then needed).
    public var needsSMTPUTF8: Bool { !localPart.unicodeScalars.allSatisfy(\.isASCII) }

    /// Checks `text` as an addr-spec. `allowUTF8` permits a non-ASCII local part (SMTPUTF8).
    public init(_ text: String, allowUTF8: Bool = false) throws(AddressError) {
        if let (local, domain) = Self.plainASCII(text) {
            localPart = local
            self.domain = domain
            return
        }
        if text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw AddressError(text: text, reason: "contains a line break or NUL character, which could inject mail headers", kind: .lineBreak)
        }
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty else { throw AddressError(text: text, reason: "is empty", kind: .empty) }
        guard let at = trimmed.lastIndex(of: "@") else {
            throw AddressError(text: text, reason: "has no '@'; an address looks like name@example.org", kind: .missingAt)
        }
        let local = String(trimmed[..<at])
        let domainText = String(trimmed[trimmed.index(after: at)...])
        try Self.checkLocalPart(local, whole: text, allowUTF8: allowUTF8)
        self.localPart = local
        self.domain = try Self.checkDomain(domainText, whole: text)
        if description.utf8.count > 254 {
            throw AddressError(text: text, reason: "is longer than 254 characters", kind: .tooLong)
        }
    }

    /// RFC 5322 `atext`: the characters of an atom, unquoted.
    static let atext: Set<Character> = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~")

    /// `atext` as a table over ASCII bytes.
    static let atextBytes: [Bool] = (0..<128).map { atext.contains(Character(Unicode.Scalar(UInt8($0)))) }

    /// The common case, checked over bytes: a dot-atom local part and a domain of
    /// ASCII letters, digits and hyphens (lower-cased, as the full check would give).
    /// Nil sends anything else, valid or not, through the full check and its messages.
    private static func plainASCII(_ text: String) -> (local: String, domain: String)? {
        let result = text.utf8.withContiguousStorageIfAvailable { bytes -> (String, String)? in
            guard bytes.count >= 3, bytes.count <= 254, let at = bytes.lastIndex(of: UInt8(ascii: "@")),
                  at >= 1, at <= 64, at + 1 < bytes.count else { return nil }
            let dot = UInt8(ascii: ".")
            guard bytes[0] != dot, bytes[at - 1] != dot else { return nil }
            var previousWasDot = false
            for index in 0..<at {
                let byte = bytes[index]
                if byte == dot {
                    if previousWasDot { return nil }
                    previousWasDot = true
                    continue
                }
                previousWasDot = false
                guard byte < 128, atextBytes[Int(byte)] else { return nil }
            }
            var domain: [UInt8] = []
            domain.reserveCapacity(bytes.count - at - 1)
            var labelLength = 0
            var labels = 1
            for index in (at + 1)..<bytes.count {
                var byte = bytes[index]
                if byte == dot {
                    guard labelLength > 0, domain.last != UInt8(ascii: "-") else { return nil }
                    labels += 1
                    labelLength = 0
                    domain.append(byte)
                    continue
                }
                if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") { byte += 32 }
                let allowed = (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                guard allowed, !(labelLength == 0 && byte == UInt8(ascii: "-")) else { return nil }
                labelLength += 1
                guard labelLength <= 63 else { return nil }
                domain.append(byte)
            }
            guard labelLength > 0, domain.last != UInt8(ascii: "-"), labels >= 2 else { return nil }
            return (String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<at]), as: UTF8.self), String(decoding: domain, as: UTF8.self))
        }
        return result ?? nil
    }

    private static func checkLocalPart(_ local: String, whole: String, allowUTF8: Bool) throws(AddressError) {
        guard !local.isEmpty else { throw AddressError(text: whole, reason: "has nothing before the '@'", kind: .badLocalPart) }
        guard local.utf8.count <= 64 else { throw AddressError(text: whole, reason: "has more than 64 characters before the '@'", kind: .tooLong) }
        if !local.unicodeScalars.allSatisfy(\.isASCII), !allowUTF8 {
            throw AddressError(text: whole, reason: "has non-ASCII characters before the '@'; few servers accept that (set \"smtputf8\": true in the campaign if yours does)", kind: .nonASCIILocalPart)
        }
        if local.hasPrefix("\""), local.hasSuffix("\""), local.count >= 2 {
            var escaped = false
            for character in local.dropFirst().dropLast() {
                if escaped { escaped = false; continue }
                if character == "\\" { escaped = true; continue }
                if character == "\"" { throw AddressError(text: whole, reason: "has a '\"' inside a quoted local part; escape it as \\\"") }
            }
            return
        }
        let atoms = local.split(separator: ".", omittingEmptySubsequences: false)
        guard !atoms.contains(where: \.isEmpty) else {
            throw AddressError(text: whole, reason: "has a misplaced '.' before the '@' (two dots together, or one at the start or end)")
        }
        for character in local where character != "." {
            if !atext.contains(character), character.isASCII {
                throw AddressError(text: whole, reason: "has '\(character)' before the '@', which an address cannot contain")
            }
        }
    }

    private static func checkDomain(_ domain: String, whole: String) throws(AddressError) -> String {
        guard !domain.isEmpty else { throw AddressError(text: whole, reason: "has nothing after the '@'", kind: .badDomain) }
        if domain.hasPrefix("["), domain.hasSuffix("]") { return domain }
        guard let ascii = Punycode.toASCII(domain: domain) else {
            throw AddressError(text: whole, reason: "has a domain that cannot be written in ASCII (punycode)", kind: .badDomain)
        }
        let labels = ascii.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else {
            throw AddressError(text: whole, reason: "has a domain without a dot; write the full domain, as in example.org", kind: .domainWithoutDot)
        }
        for label in labels {
            guard !label.isEmpty else { throw AddressError(text: whole, reason: "has a misplaced '.' in its domain", kind: .badDomain) }
            guard label.count <= 63 else { throw AddressError(text: whole, reason: "has a domain label longer than 63 characters", kind: .badDomain) }
            guard label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw AddressError(text: whole, reason: "has a character in its domain that domains cannot contain", kind: .badDomain)
            }
            guard !label.hasPrefix("-"), !label.hasSuffix("-") else {
                throw AddressError(text: whole, reason: "has a domain label that starts or ends with '-'", kind: .badDomain)
            }
        }
        guard ascii.utf8.count <= 253 else { throw AddressError(text: whole, reason: "has a domain longer than 253 characters", kind: .badDomain) }
        return ascii
    }
}

/// Why an address was refused, with the address as written.
public struct AddressError: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public let reason: String
    /// What is wrong, for saying it in another language (a page's form).
    public let kind: Kind

    /// The kinds of mistake a person typing an address makes.
    public enum Kind: String, Sendable {
        case empty, missingAt = "missing_at", tooLong = "too_long", badLocalPart = "bad_local_part"
        case nonASCIILocalPart = "non_ascii_local_part", domainWithoutDot = "domain_without_dot", badDomain = "bad_domain"
        case lineBreak = "line_break"
    }

    public init(text: String, reason: String, kind: Kind = .badLocalPart) {
        self.text = text
        self.reason = reason
        self.kind = kind
    }

    public var description: String { "the address '\(text)' \(reason)" }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
