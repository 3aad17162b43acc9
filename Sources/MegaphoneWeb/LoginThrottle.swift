import Foundation

/// Wrong admin tokens per client: after `limit` failures within `window`, every
/// further try from that client (right token or not) is refused until the oldest
/// of those failures is `window` old. Refused tries are not counted, so the lockout
/// ends on its own; a right token clears the client's failures.
///
/// A client is a `ClientKey`, as for the connection caps.
final class LoginThrottle: @unchecked Sendable {
    let limit: Int
    let window: TimeInterval
    private let lock = NSLock()
    private var failures: [ClientKey: [Date]] = [:]

    init(limit: Int = 5, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    /// Whole seconds until `client` may try again; nil when it may try now.
    func retryAfter(_ client: ClientKey, now: Date = Date()) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        let recent = (failures[client] ?? []).filter { now.timeIntervalSince($0) < window }
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
    }

    /// Counts a wrong token from `client`; returns how many it has given within the window.
    func fail(_ client: ClientKey, now: Date = Date()) -> Int {
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
    func succeed(_ client: ClientKey) {
        lock.lock()
        defer { lock.unlock() }
        failures[client] = nil
    }
}
