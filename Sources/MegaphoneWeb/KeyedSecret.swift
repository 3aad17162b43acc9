import Crypto

/// A secret the server checks but does not keep in the clear: the admin token.
/// It holds an HMAC-SHA-256 of the secret under a key made
/// at start-up, and compares in constant time (swift-crypto's MAC comparison).
struct KeyedSecret: Sendable {
    private let key = SymmetricKey(size: .bits256)
    private let code: HashedAuthenticationCode<SHA256>

    init(_ secret: String) {
        code = HMAC<SHA256>.authenticationCode(for: Array(secret.utf8), using: key)
    }

    /// Whether `given` is the secret.
    func matches<Given: StringProtocol>(_ given: Given) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: Array(given.utf8), using: key)
    }
}
