import ArgumentParser

/// A length of time on the command line: a whole number with its unit, as in `500ms`,
/// `30s`, `2m` or `1h` (`--header-timeout 30s`). Zero and negative lengths are refused.
struct TimeoutArgument: ExpressibleByArgument, Equatable {
    let duration: Duration

    init(_ duration: Duration) {
        self.duration = duration
    }

    init?(argument: String) {
        let digits = argument.prefix { $0.isASCII && $0.isNumber }
        guard let number = Int64(digits), number > 0, number <= 86_400_000 else { return nil }
        switch argument.dropFirst(digits.count) {
        case "ms": duration = .milliseconds(number)
        case "s": duration = .seconds(number)
        case "m", "min": duration = .seconds(number * 60)
        case "h": duration = .seconds(number * 3600)
        default: return nil
        }
    }

    /// How the help shows a default: `30s`, `500ms`.
    var defaultValueDescription: String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return seconds % 3600 == 0 ? "\(seconds / 3600)h" : seconds % 60 == 0 && seconds >= 120 ? "\(seconds / 60)m" : "\(seconds)s" }
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000)ms"
    }
}
