import Foundation

/// How `megaphone serve` runs: where it listens, the public address its links use,
/// the per-IP limit, and the organiser's token (from the environment or a file only).
public struct WebSettings: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The address links in emails start with, such as https://sign.example.org.
    public var baseURL: String
    public var perIP = PerIPLimit("120/min")!
    /// The organiser's token; nil turns /admin off.
    public var adminToken: String?
    /// Emails one address may receive from signing, all told: the first confirmation,
    /// then new confirmation links or "you have already signed" notices.
    public var maxEmails = 3
    /// How long an organiser's login lasts, in seconds (`--admin-session`, 12 hours).
    public var adminSessionLifetime: Double = 12 * 3600
    /// The range `--admin-session` accepts: a second (for tests) to a week.
    public static let adminSessionRange: ClosedRange<Double> = 1...(7 * 24 * 3600)
    /// Timeouts and connection caps.
    public var limits = ServerLimits()

    /// The largest form body accepted.
    public static let maxBody = 16 * 1024

    public init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }
}
