import Crypto
import Foundation
import MegaphoneMail
import MegaphoneDigest

/// Single-use form tokens: each page's form carries a fresh token, signed with this
/// server's secret and bound to the form's purpose; a token is good for a few hours
/// and for one submission only, so a replayed or forged form is refused.
final class CSRFTokens: @unchecked Sendable {
    private let secret = SymmetricKey(size: .bits256)
    private let lock = NSLock()
    private var used: [String: Date] = [:]
    private var lastPrune = Date()
    let lifetime: TimeInterval

    enum Problem: Error {
        case missing, invalid, expired, reused
    }

    init(lifetime: TimeInterval = 4 * 3600) {
        self.lifetime = lifetime
    }

    /// A new token for a form of `purpose` (`sign:petition-karatobe`, `confirm`, `admin`).
    func issue(_ purpose: String, now: Date = Date()) -> String {
        let nonce = CryptoText.hex(CryptoText.randomBytes(12))
        let time = String(Int(now.timeIntervalSince1970))
        return "\(nonce).\(time).\(signature(nonce: String(nonce), time: time, purpose: purpose))"
    }

    /// Checks a submitted token and uses it up.
    func redeem(_ token: String?, purpose: String, now: Date = Date()) throws(Problem) {
        try check(token, purpose: purpose, now: now, useUp: true)
    }

    /// Checks a submitted token without using it up: a form shown again to be fixed
    /// keeps its token, so reloading that page (which posts again) shows the same answers.
    func verify(_ token: String?, purpose: String, now: Date = Date()) throws(Problem) {
        try check(token, purpose: purpose, now: now, useUp: false)
    }

    private func check(_ token: String?, purpose: String, now: Date, useUp: Bool) throws(Problem) {
        guard let token, !token.isEmpty else { throw .missing }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let issued = Double(parts[1]), let given = CryptoText.bytes(fromHex: parts[2]),
              HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: signed(nonce: parts[0], time: parts[1], purpose: purpose), using: secret)
        else {
            throw .invalid
        }
        guard now.timeIntervalSince1970 - issued <= lifetime, issued <= now.timeIntervalSince1970 + 60 else { throw .expired }
        lock.lock()
        defer { lock.unlock() }
        if now.timeIntervalSince(lastPrune) > 600 {
            used = used.filter { now.timeIntervalSince($0.value) <= lifetime }
            lastPrune = now
        }
        guard used[parts[0]] == nil else { throw .reused }
        if useUp { used[parts[0]] = Date(timeIntervalSince1970: issued) }
    }

    private func signed(nonce: String, time: String, purpose: String) -> [UInt8] {
        Array("\(nonce).\(time).\(purpose)".utf8)
    }

    private func signature(nonce: String, time: String, purpose: String) -> String {
        CryptoText.hex(HMAC<SHA256>.authenticationCode(for: signed(nonce: nonce, time: time, purpose: purpose), using: secret))
    }
}
