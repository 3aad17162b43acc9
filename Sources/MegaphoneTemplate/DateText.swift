import MegaphoneValue
import Foundation

/// Formats ISO 8601 dates for the `date` filter in a given locale.
enum DateText {
    /// Parses `2026-11-27`, `2026-11-27T10:00`, `2026-11-27T10:00:00Z` or with an
    /// offset such as `+01:00`, and formats it with a CLDR pattern ("d MMMM yyyy").
    /// A time with an offset is shown in that offset, so 10:00+01:00 prints as 10:00.
    static func format(iso text: String, pattern: String, locale: String) -> String? {
        guard let parsed = parse(text) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: locale)
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = parsed.zone
        formatter.dateFormat = pattern
        return formatter.string(from: parsed.date)
    }

    static func parse(_ text: String) -> (date: Date, zone: TimeZone)? {
        let scalars = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= scalars.count else { return nil }
            var value = 0
            for offset in 0..<digits {
                let byte = scalars[index + offset]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard index < scalars.count, scalars[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2) else { return nil }
        var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        var zone = TimeZone(secondsFromGMT: 0)
        if index < scalars.count {
            guard expect("T") || expect(" "), let hour = number(2), expect(":"), let minute = number(2) else { return nil }
            components.hour = hour
            components.minute = minute
            if expect(":") {
                guard let second = number(2) else { return nil }
                components.second = second
                if expect(".") { while index < scalars.count, scalars[index] >= 48, scalars[index] <= 57 { index += 1 } }
            }
            if expect("Z") {
                zone = TimeZone(secondsFromGMT: 0)
            } else if index < scalars.count {
                let sign: Int
                if expect("+") { sign = 1 } else if expect("-") { sign = -1 } else { return nil }
                guard let hours = number(2) else { return nil }
                _ = expect(":")
                guard let minutes = number(2) else { return nil }
                zone = TimeZone(secondsFromGMT: sign * (hours * 3600 + minutes * 60))
            }
        }
        guard index == scalars.count, let zone else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard (1...12).contains(month), (1...31).contains(day),
              let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day else { return nil }
        return (date, zone)
    }
}
