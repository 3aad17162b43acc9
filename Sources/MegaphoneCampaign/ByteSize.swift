import MegaphoneValue

/// A size in bytes as a campaign file writes it: a number of bytes, or text with a
/// unit (`"20 MB"`, `"512KB"`, `"10 MiB"`; KB and MB are powers of 1000, KiB and MiB of 1024).
enum ByteSize {
    static func parse(_ value: Value) -> Int? {
        switch value {
        case .int(let bytes): return bytes >= 1000 ? bytes : nil
        case .string(let text): return parse(text)
        default: return nil
        }
    }

    static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingSpaces
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard let number = Double(digits), number > 0 else { return nil }
        let units: [String: Double] = ["": 1, "B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "KIB": 1024, "MIB": 1_048_576, "GIB": 1_073_741_824]
        guard let unit = units[trimmed.dropFirst(digits.count).trimmingSpaces.uppercased()] else { return nil }
        let bytes = number * unit
        return bytes >= 1000 && bytes < 1e12 ? Int(bytes) : nil
    }

    /// `44.1 MB`, for messages.
    static func describe(_ bytes: Int) -> String {
        if bytes >= 1_000_000 { return "\(Double(bytes / 100_000) / 10) MB" }
        if bytes >= 1000 { return "\(bytes / 1000) KB" }
        return "\(bytes) bytes"
    }
}
