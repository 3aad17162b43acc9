import Foundation

/// How to reach an SMTP server, as curl spells it: `smtp://host:587` (STARTTLS
/// required unless `startTLS` is `.never`) or `smtps://host:465`, with optional
/// credentials. Credentials never come from the command line.
public struct SMTPSettings: Sendable {
    public enum StartTLS: Sendable {
        /// CURLUSESSL_ALL: refuse to go on without TLS.
        case required
        /// Plain text: for a relay on loopback only.
        case never
    }

    public var url: String
    public var startTLS: StartTLS = .required
    /// A CA certificate file trusted in addition to the system's.
    public var caFile: String?
    /// Skip certificate checks (test servers only).
    public var insecure = false
    public var user: String?
    public var password: String?
    /// An OAuth 2 bearer token for XOAUTH2.
    public var bearer: String?
    /// libcurl's login options, such as `AUTH=LOGIN` to choose the mechanism.
    public var loginOptions: String?
    /// Seconds to wait for the TCP and TLS handshake.
    public var connectTimeout = 60
    /// Seconds to wait for each reply; RFC 5321 §4.5.3.2 allows 10 minutes after the
    /// final dot, and giving up sooner is how duplicates happen.
    public var responseTimeout = 600

    public init(url: String) {
        self.url = url
    }

    /// The URL's host, for netrc look-ups and messages.
    public var host: String? { URLComponents(string: url)?.host }

    public var isImplicitTLS: Bool { url.lowercased().hasPrefix("smtps://") }

    /// True when any credential is set: the server must then offer AUTH.
    public var hasCredentials: Bool { password != nil || bearer != nil }

    /// The URL with any user name removed, safe to print and log.
    public var displayURL: String { Credentials.displayURL(url) }

    /// Checks the URL: a scheme of smtp or smtps, a host, and no password in it.
    public func validate() throws(DeliveryError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "smtp" || scheme == "smtps", let host = components.host, !host.isEmpty else {
            throw DeliveryError(.configuration, "'\(url)' is not an SMTP server URL; write smtp://host:587 or smtps://host:465")
        }
        if components.password != nil {
            throw DeliveryError(.configuration, "a password in the --smtp URL would show in process lists and shell history; set MEGAPHONE_SMTP_PASSWORD, use --password-file, or ~/.netrc")
        }
    }
}

/// Reads `~/.netrc`-style files (curl's format: `machine HOST login USER password PASS`).
public enum Netrc {
    public static func credentials(for host: String, file: String) -> (login: String?, password: String?)? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).map(String.init)
        var index = 0
        var matched = false
        var login: String? = nil
        var password: String? = nil
        var fallback: (String?, String?)? = nil
        var inDefault = false
        while index < tokens.count {
            let token = tokens[index]
            let value = index + 1 < tokens.count ? tokens[index + 1] : nil
            switch token {
            case "machine":
                if matched { return (login, password) }
                if inDefault { fallback = (login, password) }
                inDefault = false
                matched = value == host
                login = nil
                password = nil
                index += 2
            case "default":
                if matched { return (login, password) }
                inDefault = true
                login = nil
                password = nil
                index += 1
            case "login":
                login = value
                index += 2
            case "password":
                password = value
                index += 2
            default:
                index += 1
            }
        }
        if matched { return (login, password) }
        if inDefault { return (login, password) }
        return fallback.map { ($0.0, $0.1) }
    }
}
