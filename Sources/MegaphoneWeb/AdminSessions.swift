import Crypto
import Foundation
import MegaphoneMail
import MegaphoneDigest

/// The organiser's logins. Each login gets its own random 256-bit id, the admin
/// cookie's value; the server keeps only an HMAC-SHA-256 of it (under a key made at
/// start-up) with its expiry, in memory: a restart, a logout or the expiry ends it.
final class AdminSessions: @unchecked Sendable {
    private let key = SymmetricKey(size: .bits256)
    private let lock = NSLock()
    /// Keyed hash of a session id (hex) → when the session ends.
    private var expiries: [String: Date] = [:]
    /// How long a session lasts from its login.
    let lifetime: TimeInterval

    init(lifetime: TimeInterval) {
        self.lifetime = lifetime
    }

    /// A new session, good for `lifetime`; its id goes in the cookie and nowhere else.
    func start(now: Date = Date()) -> String {
        let id = CryptoText.hex(CryptoText.randomBytes(32))
        let hash = keyedHash(id)
        lock.lock()
        defer { lock.unlock() }
        expiries = expiries.filter { $0.value > now }
        expiries[hash] = now.addingTimeInterval(lifetime)
        return id
    }

    /// Whether `id` is a session that has not ended.
    func isValid<ID: StringProtocol>(_ id: ID, now: Date = Date()) -> Bool {
        let hash = keyedHash(id)
        lock.lock()
        defer { lock.unlock() }
        guard let expiry = expiries[hash] else { return false }
        if expiry > now { return true }
        expiries[hash] = nil
        return false
    }

    /// Ends session `id` (nothing happens when there is none).
    func end<ID: StringProtocol>(_ id: ID) {
        let hash = keyedHash(id)
        lock.lock()
        defer { lock.unlock() }
        expiries[hash] = nil
    }

    /// The id is looked up by its HMAC, so the table holds nothing a cookie could be made from.
    private func keyedHash<ID: StringProtocol>(_ id: ID) -> String {
        CryptoText.hex(HMAC<SHA256>.authenticationCode(for: Array(id.utf8), using: key))
    }
}
