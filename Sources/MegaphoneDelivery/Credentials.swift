public import Foundation

/// Where a password comes from, in order: a password file's first line, an
/// environment variable, then `~/.netrc` (or `NETRC`) for the host. Never the
/// command line. Shared by `send`/`serve` (SMTP) and `bounces` (IMAP).
public enum Credentials {
    /// The password found (nil when none), and the netrc's login when the password came from there.
    public static func password(file: String?, variable: String, host: String?,
                                environment: [String: String] = ProcessInfo.processInfo.environment) throws(CredentialsError) -> (password: String?, netrcLogin: String?) {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CredentialsError(file: file) }
            let first = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
            return (first.trimmingCharacters(in: CharacterSet(charactersIn: "\r")), nil)
        }
        if let password = environment[variable], !password.isEmpty { return (password, nil) }
        if let host {
            let netrc = environment["NETRC"] ?? (NSHomeDirectory() + "/.netrc")
            if let found = Netrc.credentials(for: host, file: netrc), let password = found.password { return (password, found.login) }
        }
        return (nil, nil)
    }

    /// A URL without its user name and password, safe to print and log.
    static func displayURL(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.user = nil
        components.password = nil
        return components.string ?? url
    }
}

/// The password file named cannot be read.
public struct CredentialsError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public var description: String { "\(file): the --password-file is missing or unreadable" }
}
