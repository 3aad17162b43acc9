import Crypto
import Foundation
public import MegaphoneMail

/// The tokens a campaign puts in its messages, keyed with the campaign's secret:
/// - a VERP token per message, in the envelope sender `bounces+TOKEN@example.org`, so
///   a returned message names the letter it returns;
/// - an unsubscribe token per address, in `BASE/u/TOKEN`, which `serve` opens back
///   into the address (and nothing else) to suppress it.
public struct CampaignTokens: Sendable {
    private let verpKey: SymmetricKey
    private let unsubscribeKey: SymmetricKey
    private let nonceKey: SymmetricKey

    public init(secret: CampaignSecret) {
        verpKey = secret.subkey("megaphone verp")
        unsubscribeKey = secret.subkey("megaphone unsubscribe")
        nonceKey = secret.subkey("megaphone unsubscribe nonce")
    }

    /// 16 characters of lower-case base32 (80 bits of HMAC-SHA-256 over the message
    /// key): short enough for a local part, case-insensitive, not guessable.
    public func verpToken(forKey key: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(key.utf8), using: verpKey)
        return Base32.encode(Array(mac.prefix(10)))
    }

    /// `bounces@example.org` → `bounces+TOKEN@example.org`.
    public func verpAddress(_ bounce: EmailAddress, key: String) -> EmailAddress {
        let local = bounce.localPart + "+" + verpToken(forKey: key)
        return (try? EmailAddress(local + "@" + bounce.domain, allowUTF8: true)) ?? bounce
    }

    /// The address sealed (AES-GCM, with a nonce derived from the address, so the same
    /// address always gives the same token and a message composes the same on every
    /// run), base64url: it reveals nothing, and no other address's token can be made from it.
    public func unsubscribeToken(for address: String) -> String {
        let plain = Array(address.lowercased().utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: plain, using: nonceKey)
        guard let nonce = try? AES.GCM.Nonce(data: Array(mac.prefix(12))),
              let sealed = try? AES.GCM.seal(plain, using: unsubscribeKey, nonce: nonce),
              let combined = sealed.combined else { return "" }
        return Data(combined).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The address an unsubscribe token was made for; nil for anything else.
    public func address(fromUnsubscribeToken token: String) -> String? {
        guard token.count <= 800, token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var text = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text), let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: unsubscribeKey) else { return nil }
        return String(data: plain, encoding: .utf8)
    }
}

/// RFC 4648 base32, lower-case, without padding.
enum Base32 {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: out, as: UTF8.self)
    }
}
