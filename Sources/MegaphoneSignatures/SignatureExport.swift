import Foundation
import MegaphoneData

/// Signatures as CSV (RFC 4180) or JSON Lines, for the organiser, one signature at a
/// time: a caller streams a million of them from a cursor and writes each piece as it
/// comes, so memory stays flat. A cell that a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@`, tab, CR) is prefixed with `'`, as `megaphone log --csv` does.
public struct SignatureExport: Sendable {
    public enum Format: Sendable {
        case csv
        /// One JSON object a line, keys sorted: confirmed, fields, id, signed, state, targets.
        case jsonLines
    }

    public let format: Format
    /// The form's fields, as CSV columns in this order (JSON carries every field kept).
    public let fields: [String]
    /// Whether a `targets` column follows the fields (letter pages).
    public let letters: Bool
    /// The number of the last signature written (CSV's `number` column).
    public private(set) var number = 0

    public init(_ format: Format, fields: [String], letters: Bool = false) {
        self.format = format
        self.fields = fields
        self.letters = letters
    }

    /// What comes before the first signature: CSV's header line.
    public var header: String {
        guard format == .csv else { return "" }
        return (["number"] + fields + (letters ? ["targets"] : []) + ["state", "signed", "confirmed"]).joined(separator: ",") + "\r\n"
    }

    /// Appends one signature's line to `out`.
    public mutating func append(_ signature: Signature, to out: inout String) {
        number += 1
        switch format {
        case .csv: appendCSV(signature, to: &out)
        case .jsonLines: appendJSON(signature, to: &out)
        }
    }

    private func appendCSV(_ signature: Signature, to out: inout String) {
        out += String(number)
        for field in fields {
            out += ","
            out += CSVField.spreadsheetSafe(signature.fields[field] ?? "")
        }
        if letters {
            out += ","
            out += CSVField.spreadsheetSafe(signature.targets.joined(separator: " "))
        }
        out += ","
        out += signature.state.rawValue
        out += ","
        out += UTCTime.iso8601(signature.createdAt.timeIntervalSince1970)
        out += ","
        if let confirmed = signature.confirmedAt { out += UTCTime.iso8601(confirmed.timeIntervalSince1970) }
        out += "\r\n"
    }

    private func appendJSON(_ signature: Signature, to out: inout String) {
        out += "{"
        if let confirmed = signature.confirmedAt {
            out += "\"confirmed\":\""
            out += UTCTime.iso8601(confirmed.timeIntervalSince1970)
            out += "\","
        }
        out += "\"fields\":"
        out += SignatureFields.encode(signature.fields)
        out += ",\"id\":"
        out += String(signature.id)
        out += ",\"signed\":\""
        out += UTCTime.iso8601(signature.createdAt.timeIntervalSince1970)
        out += "\",\"state\":\""
        out += signature.state.rawValue
        out += "\""
        if !signature.targets.isEmpty {
            out += ",\"targets\":"
            out += SignatureFields.encode(signature.targets)
        }
        out += "}\n"
    }

    /// A whole export of `signatures` at once (small lists, tests).
    public static func csv(_ signatures: [Signature], fields: [String], letters: Bool = false) -> String {
        whole(signatures, SignatureExport(.csv, fields: fields, letters: letters))
    }

    public static func jsonLines(_ signatures: [Signature]) -> String {
        whole(signatures, SignatureExport(.jsonLines, fields: []))
    }

    private static func whole(_ signatures: [Signature], _ export: SignatureExport) -> String {
        var export = export
        var out = export.header
        for signature in signatures { export.append(signature, to: &out) }
        return out
    }
}
