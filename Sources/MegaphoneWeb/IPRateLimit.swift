import Foundation

/// How many signatures one IP address may make per campaign in a window (`--per-ip 60/min`).
public struct PerIPLimit: Sendable, Equatable {
    public let count: Int
    public let window: Double

    /// `N/min`, `N/h`, or `0` (no limit). Nil when the text is none of these.
    public init?(_ text: String) {
        if text == "0" {
            count = 0
            window = 60
            return
        }
        let parts = text.split(separator: "/")
        guard parts.count == 2, let count = Int(parts[0]), count > 0 else { return nil }
        switch parts[1] {
        case "min", "m": window = 60
        case "h", "hour": window = 3600
        default: return nil
        }
        self.count = count
    }

    public var isOff: Bool { count == 0 }
}

/// Counts signatures per campaign and IP address in fixed windows.
final class IPRateLimit: @unchecked Sendable {
    private let limit: PerIPLimit
    private let lock = NSLock()
    private var windows: [String: (start: Date, count: Int)] = [:]

    init(_ limit: PerIPLimit) {
        self.limit = limit
    }

    /// Counts one signature; false when this one is over the limit.
    func allow(campaign: String, address: String, now: Date = Date()) -> Bool {
        guard !limit.isOff else { return true }
        let key = campaign + " " + address
        lock.lock()
        defer { lock.unlock() }
        if windows.count > 100_000 { windows = windows.filter { now.timeIntervalSince($0.value.start) < limit.window } }
        var entry = windows[key] ?? (now, 0)
        if now.timeIntervalSince(entry.start) >= limit.window { entry = (now, 0) }
        entry.count += 1
        windows[key] = entry
        return entry.count <= limit.count
    }
}
