import Foundation

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
