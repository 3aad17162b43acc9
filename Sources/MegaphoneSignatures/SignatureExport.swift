import Foundation

/// Signatures as CSV (RFC 4180) or JSON Lines, for the organiser. A cell that a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is prefixed
/// with `'`, as `megaphone log --csv` does.
public enum SignatureExport {
    public static func csv(_ signatures: [Signature], fields: [String], letters: Bool = false) -> String {
        let columns = ["number"] + fields + (letters ? ["targets"] : []) + ["state", "signed", "confirmed"]
        var out = columns.joined(separator: ",") + "\r\n"
        let formatter = ISO8601DateFormatter()
        for (index, signature) in signatures.enumerated() {
            var cells = [String(index + 1)]
            cells += fields.map { signature.fields[$0] ?? "" }
            if letters { cells.append(signature.targets.joined(separator: " ")) }
            cells += [signature.state.rawValue, formatter.string(from: signature.createdAt), signature.confirmedAt.map(formatter.string) ?? ""]
            out += cells.map(cell).joined(separator: ",") + "\r\n"
        }
        return out
    }

    public static func jsonLines(_ signatures: [Signature]) -> String {
        let formatter = ISO8601DateFormatter()
        var out = ""
        for signature in signatures {
            var object: [String: Any] = ["id": signature.id, "state": signature.state.rawValue, "fields": signature.fields,
                                         "signed": formatter.string(from: signature.createdAt)]
            if !signature.targets.isEmpty { object["targets"] = signature.targets }
            if let confirmed = signature.confirmedAt { object["confirmed"] = formatter.string(from: confirmed) }
            if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
                out += String(decoding: data, as: UTF8.self) + "\n"
            }
        }
        return out
    }

    static func cell(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { value = "'" + value }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}
