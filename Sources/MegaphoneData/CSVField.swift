import Foundation

/// One field of a CSV file Megaphone writes (RFC 4180), the rule every CSV writer
/// shares: `log --csv`, signature exports, the signers' file, an import's refused rows.
public enum CSVField {
    /// The text as a field: in double quotes (inner ones doubled) when it holds a
    /// comma, a quote or a line break; as it is otherwise.
    public static func quoted(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The same, for a file a person opens in a spreadsheet: a value that would run as a
    /// formula (starting with `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`.
    public static func spreadsheetSafe(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return quoted(text) }
        return quoted("'" + text)
    }
}
