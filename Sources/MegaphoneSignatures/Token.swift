import Foundation
import MegaphoneMail
import MegaphoneDigest

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

    /// URL-safe base64 without padding (RFC 4648 §5), from Foundation's encoder.
    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacing("+", with: "-").replacing("/", with: "_").replacing("=", with: "")
    }
}
