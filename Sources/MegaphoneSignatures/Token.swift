import MegaphoneMail

/// A secret for one purpose (confirming, withdrawing): 256 random bits from
/// swift-crypto's secure generator, written in URL-safe base64. The store keeps
/// only its SHA-256, so a copy of the database confirms nothing.
public struct Token: Sendable, Hashable, CustomStringConvertible {
    public let text: String

    /// A new random token.
    public static func generate() -> Token {
        Token(text: base64URL(CryptoText.randomBytes(32)))
    }

    /// A token as it arrived in a link; nil when it cannot be one of ours.
    public init?(_ text: String) {
        guard (20...64).contains(text.utf8.count),
              text.utf8.allSatisfy({ Self.alphabet.contains($0) }) else { return nil }
        self.text = text
    }

    private init(text: String) { self.text = text }

    /// What the store keeps.
    public var hash: String { CryptoText.sha256(Array(text.utf8)) }

    public var description: String { text }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func base64URL(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index + 2 < bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let n = UInt32(bytes[index]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)]]
        } else if rest == 2 {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)]]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
