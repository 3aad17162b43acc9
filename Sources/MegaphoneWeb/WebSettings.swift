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
    /// "You have already signed" emails one address may receive.
    public var maxNotices = 3
    /// Timeouts and connection caps.
    public var limits = ServerLimits()

    /// The largest form body accepted.
    public static let maxBody = 16 * 1024

    public init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }
}
