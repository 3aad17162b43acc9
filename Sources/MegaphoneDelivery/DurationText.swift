import Foundation

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
