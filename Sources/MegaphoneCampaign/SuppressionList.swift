public import Foundation

/// The addresses a campaign no longer writes to (`NAME.suppressed.txt` beside the
/// campaign file): hard bounces found by `megaphone bounces`, and supporters who
/// unsubscribed through `megaphone serve`. One address a line, the reason after `#`:
///
///     gone@example.org  # bounced 5.1.1 2026-12-02: 550 5.1.1 no such user
///     ana@example.com  # unsubscribed 2026-12-02 (one-click)
///
/// People may edit it: blank lines and lines starting with `#` are ignored, and an
/// address deleted from it is written to again. `check` reports it, `send` skips it.
public struct SuppressionList: Sendable {
    public let path: String
    /// Lower-cased address → reason.
    public private(set) var entries: [String: String] = [:]

    /// The list beside a campaign file.
    public static func path(forCampaign campaign: String) -> String {
        CampaignFiles.sibling(of: campaign, suffix: ".suppressed.txt")
    }

    /// A list with nothing on it (kept nowhere).
    public static var empty: SuppressionList { SuppressionList(emptyAt: "") }

    private init(emptyAt path: String) {
        self.path = path
    }

    /// Reads the list; an absent file is an empty list.
    public init(path: String) throws(SuppressionError) {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else { return }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SuppressionError(path: path, line: nil, reason: "cannot be read; check its permissions")
        }
        for (index, raw) in String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "#", maxSplits: 1)
            let address = parts[0].trimmingCharacters(in: .whitespaces)
            guard address.contains("@"), !address.contains(where: { $0 == " " || $0 == "\t" }) else {
                throw SuppressionError(path: path, line: index + 1,
                                       reason: "'\(address)' is not an address; each line holds one address, then '# reason' if you like")
            }
            entries[address.lowercased()] = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "listed"
        }
    }

    /// Why the address is suppressed; nil when it is not.
    public func reason(for address: String) -> String? {
        entries.isEmpty ? nil : entries[address.lowercased()]
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }

    /// Adds addresses (those not yet on the list) with their reasons, durably: the
    /// lines are appended under an exclusive lock and synced before this returns.
    /// Returns the addresses added.
    @discardableResult
    public static func add(_ additions: [(address: String, reason: String)], to path: String) throws(SuppressionError) -> [String] {
        let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SuppressionError(path: path, line: nil, reason: "cannot be opened for writing (\(String(cString: strerror(errno)))); make its folder writable")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw SuppressionError(path: path, line: nil, reason: "cannot be locked (\(String(cString: strerror(errno))))") }
        }
        defer { flock(descriptor, LOCK_UN) }
        // Read under the lock: what another process added a moment ago counts.
        let current = try SuppressionList(path: path)
        var seen = Set(current.entries.keys)
        var text = ""
        var added: [String] = []
        for (address, reason) in additions where seen.insert(address.lowercased()).inserted {
            let clean = reason.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            text += "\(address.lowercased())  # \(clean)\n"
            added.append(address.lowercased())
        }
        guard !text.isEmpty else { return [] }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw SuppressionError(path: path, line: nil, reason: "cannot be written (\(String(cString: strerror(errno))))")
            }
            written += result
        }
        guard fsync(descriptor) == 0 else {
            throw SuppressionError(path: path, line: nil, reason: "cannot be synced to disk (\(String(cString: strerror(errno))))")
        }
        return added
    }
}

/// The suppression list cannot be read or written.
public struct SuppressionError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let line: Int?
    public let reason: String

    public var description: String {
        "\(path)\(line.map { ":\($0)" } ?? ""): error: the suppression list \(reason)"
    }
}
