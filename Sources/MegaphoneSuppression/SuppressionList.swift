import Foundation
import MegaphoneMail
import MegaphoneFiles

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
    /// Address key (`EmailAddress.key`) → reason.
    public private(set) var entries: [String: String] = [:]

    /// The list beside a campaign file.
    public static func path(forCampaign campaign: String) -> String {
        CampaignFiles(campaign: campaign).suppressed
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
        // Byte by byte (a list grows to thousands of lines): lines at LF, `#` starts the reason.
        let bytes = [UInt8](data)
        func trimmed(_ slice: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            var slice = slice
            while let first = slice.first, first == 32 || first == 9 || first == 13 { slice = slice.dropFirst() }
            while let last = slice.last, last == 32 || last == 9 || last == 13 { slice = slice.dropLast() }
            return slice
        }
        for (index, raw) in bytes.split(separator: 10, omittingEmptySubsequences: false).enumerated() {
            let line = trimmed(raw)
            if line.isEmpty || line.first == 35 { continue }
            let hash = line.firstIndex(of: 35)
            let address = trimmed(line[..<(hash ?? line.endIndex)])
            guard address.contains(64), !address.contains(32), !address.contains(9) else {
                throw SuppressionError(path: path, line: index + 1,
                                       reason: "'\(String(decoding: address, as: UTF8.self))' is not an address; each line holds one address, then '# reason' if you like")
            }
            let reason = hash.map { String(decoding: trimmed(line[($0 + 1)...]), as: UTF8.self) } ?? "listed"
            entries[EmailAddress.key(String(decoding: address, as: UTF8.self))] = reason
        }
    }

    /// Why the address is suppressed; nil when it is not.
    public func reason(for address: String) -> String? {
        entries.isEmpty ? nil : entries[EmailAddress.key(address)]
    }

    /// Whether every one of `addresses` is on the list (a message to them only is not sent).
    public func coversAll(_ addresses: [String]) -> Bool {
        !entries.isEmpty && !addresses.isEmpty && addresses.allSatisfy { reason(for: $0) != nil }
    }

    /// `addresses` without those on the list (a suppressed Cc is left off the envelope).
    public func remaining(_ addresses: [String]) -> [String] {
        entries.isEmpty ? addresses : addresses.filter { reason(for: $0) == nil }
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
        for (address, reason) in additions {
            let key = EmailAddress.key(address)
            guard seen.insert(key).inserted else { continue }
            let clean = reason.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            text += "\(key)  # \(clean)\n"
            added.append(key)
        }
        guard !text.isEmpty else { return [] }
        do { try DurableWrite.append(Array(text.utf8), to: descriptor) } catch {
            throw SuppressionError(path: path, line: nil, reason: "cannot be \(error.step == .sync ? "synced to disk" : "written") (\(error.reason))")
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
