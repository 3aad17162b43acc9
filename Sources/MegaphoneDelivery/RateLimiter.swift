import Foundation

/// Spaces messages evenly at a rate, across all workers (a token bucket holding one
/// token), optionally one bucket per recipient domain.
public final class RateLimiter: @unchecked Sendable {
    private let rate: Rate
    private let lock = NSLock()
    private var nextFree: [String: Double] = [:]

    public init(_ rate: Rate) {
        self.rate = rate
    }

    /// The time to wait before the next message for `key` may start, reserving its slot.
    public func reserve(_ key: String = "") -> Double {
        lock.lock()
        defer { lock.unlock() }
        let now = Date().timeIntervalSinceReferenceDate
        let start = max(now, nextFree[key] ?? now)
        nextFree[key] = start + rate.interval
        return start - now
    }
}
