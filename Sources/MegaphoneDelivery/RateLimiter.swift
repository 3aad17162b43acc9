import Foundation

/// A pace such as `10/s`, `600/min` or `1000/h`.
public struct Rate: Sendable, Equatable, CustomStringConvertible {
    public let count: Double
    public let seconds: Double

    public init(count: Double, seconds: Double) {
        self.count = count
        self.seconds = seconds
    }

    /// Parses `N/s`, `N/min` or `N/h`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let count = Double(parts[0]), count > 0 else { return nil }
        switch parts[1] {
        case "s", "sec", "second": seconds = 1
        case "m", "min", "minute": seconds = 60
        case "h", "hour": seconds = 3600
        default: return nil
        }
        self.count = count
    }

    public var interval: Double { seconds / count }
    public var description: String { "\(count)/\(seconds == 1 ? "s" : seconds == 60 ? "min" : "h")" }
}

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

/// How often and how long to wait before trying a temporarily failed message again:
/// exponential backoff with jitter, each wait at most `maximumWait`.
public struct RetryPolicy: Sendable {
    /// Tries after the first.
    public var retries = 3
    public var firstWait = 5.0
    public var maximumWait = 120.0

    public init(retries: Int = 3, firstWait: Double = 5, maximumWait: Double = 120) {
        self.retries = retries
        self.firstWait = firstWait
        self.maximumWait = maximumWait
    }

    /// The wait before try `attempt + 1`: half to all of `firstWait × 2^(attempt-1)`, capped.
    public func wait(after attempt: Int) -> Double {
        let full = min(maximumWait, firstWait * pow(2, Double(max(0, attempt - 1))))
        return full * Double.random(in: 0.5...1.0)
    }
}

/// Parses durations written `500ms`, `30s`, `5m`, `2h`.
public enum DurationText {
    public static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value >= 0 else { return nil }
            return value * factor
        }
        return nil
    }
}
