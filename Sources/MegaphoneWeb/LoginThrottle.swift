import Foundation

/// Wrong admin tokens per client: after `limit` failures within `window`, every
/// further try from that client (right token or not) is refused until the oldest
/// of those failures is `window` old. Refused tries are not counted, so the lockout
/// ends on its own; a right token clears the client's failures.
///
/// A client is its IP address; an IPv6 address counts by its /64 network, which one
/// machine commonly holds whole.
final class LoginThrottle: @unchecked Sendable {
    let limit: Int
    let window: TimeInterval
    private let lock = NSLock()
    private var failures: [String: [Date]] = [:]

    init(limit: Int = 5, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    /// Whole seconds until `client` may try again; nil when it may try now.
    func retryAfter(_ client: String, now: Date = Date()) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        let recent = (failures[client] ?? []).filter { now.timeIntervalSince($0) < window }
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
    }

    /// Counts a wrong token from `client`; returns how many it has given within the window.
    func fail(_ client: String, now: Date = Date()) -> Int {
        lock.lock()
        defer { lock.unlock() }
        // Bounded memory: forget clients whose failures have all left the window.
        if failures.count > 100_000 {
            failures = failures.filter { ($0.value.last.map { now.timeIntervalSince($0) < window }) ?? false }
        }
        var recent = (failures[client] ?? []).filter { now.timeIntervalSince($0) < window }
        recent.append(now)
        failures[client] = Array(recent.suffix(limit))
        return recent.count
    }

    /// A right token: `client` starts afresh.
    func succeed(_ client: String) {
        lock.lock()
        defer { lock.unlock() }
        failures[client] = nil
    }

    /// The key a client's failures are counted under: the IPv4 address, or the
    /// IPv6 address's /64 network ("" when the address is unknown).
    static func client(_ address: String) -> String {
        var bytes = in6_addr()
        guard address.contains(":"), inet_pton(AF_INET6, address, &bytes) == 1 else { return address }
        let octets = withUnsafeBytes(of: &bytes) { Array($0) }
        // An IPv4-mapped address (::ffff:a.b.c.d) is one IPv4 client.
        if octets[0..<10].allSatisfy({ $0 == 0 }) && octets[10] == 0xff && octets[11] == 0xff { return address }
        return stride(from: 0, to: 8, by: 2).map { String(format: "%02x%02x", octets[$0], octets[$0 + 1]) }.joined(separator: ":") + "::/64"
    }
}
