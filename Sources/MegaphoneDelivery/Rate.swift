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
