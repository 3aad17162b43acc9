import Foundation
import MegaphoneMail
import MegaphoneData
import MegaphoneSignatures
import MegaphoneTemplate

/// A joint letter's signers as files, for a petition too long to list in its body:
/// `signers.csv` (for a computer) and `signers.html` (to print: numbered, the name in
/// capitals, then the fields the letter would have listed). Both are written from one
/// signer at a time, read from the store's cursor or the signers file's rows, so a
/// million signers cost no more memory than a thousand; their size is known (by
/// writing them to nowhere) before either is kept.
struct SignerFiles: Sendable {
    /// The signers' fields the files carry: the name, then what the letter prints of them (never the email address).
    let columns: [String]
    let title: String
    let language: String
    let count: Int

    static let csvName = "signers.csv"
    static let htmlName = "signers.html"

    /// Where the signers come from, one at a time.
    enum Source: Sendable {
        case rows([Campaign.SignerRow])
        case store(path: String, campaign: String)

        func forEach(_ body: ([String: String]) throws -> Void) throws {
            switch self {
            case .rows(let rows): for row in rows { try body(row.fields) }
            case .store(let path, let campaign):
                let store = try SignatureStore(path: path, create: false)
                try store.forEachSignature(campaign: campaign, state: .confirmed) { try body($0.fields) }
            }
        }
    }

    /// The bytes of both files, written as they come to `csv` and `html`.
    func write(from source: Source, csv: (String) -> Void, html: (String) -> Void) throws {
        csv((["number"] + columns).joined(separator: ",") + "\r\n")
        html(htmlHead)
        var number = 0
        var csvRows = "", htmlRows = ""
        try source.forEach { fields in
            number += 1
            csvRows += String(number)
            htmlRows += "<tr><td class=\"n\">\(number)</td>"
            for column in columns {
                let value = (fields[column] ?? "").trimmingSpaces
                csvRows += "," + CSVField.spreadsheetSafe(value)
                htmlRows += "<td>" + HTMLEscaping.escape(column == "name" ? value.uppercased() : value) + "</td>"
            }
            csvRows += "\r\n"
            htmlRows += "</tr>\n"
            if htmlRows.utf8.count > 1 << 16 {
                csv(csvRows)
                html(htmlRows)
                csvRows = ""
                htmlRows = ""
            }
        }
        csv(csvRows)
        html(htmlRows + "</tbody>\n</table>\n</body>\n</html>\n")
    }

    /// The size both files take in a message (base64 in lines of 76), without keeping them.
    func encodedSize(from source: Source) throws -> Int {
        var csvBytes = 0, htmlBytes = 0
        try write(from: source, csv: { csvBytes += $0.utf8.count }, html: { htmlBytes += $0.utf8.count })
        return Self.base64Size(csvBytes) + Self.base64Size(htmlBytes) + 600
    }

    /// Both files, as attachments.
    func attachments(from source: Source) throws -> [Attachment] {
        var csvBytes: [UInt8] = [], htmlBytes: [UInt8] = []
        try write(from: source, csv: { csvBytes.append(contentsOf: $0.utf8) }, html: { htmlBytes.append(contentsOf: $0.utf8) })
        return [Attachment(filename: Self.csvName, contentType: "text/csv; charset=utf-8", data: csvBytes),
                Attachment(filename: Self.htmlName, contentType: "text/html; charset=utf-8", data: htmlBytes)]
    }

    static func base64Size(_ bytes: Int) -> Int {
        let encoded = (bytes + 2) / 3 * 4
        return encoded + (encoded + 75) / 76 * 2
    }

    private var htmlHead: String {
        let headings = columns.map { $0.prefix(1).uppercased() + $0.dropFirst() }
        return """
            <!DOCTYPE html>
            <html lang="\(HTMLEscaping.escape(language))">
            <head>
            <meta charset="utf-8">
            <title>\(HTMLEscaping.escape(title))</title>
            <style>
            body { font: 11pt/1.4 Georgia, "Times New Roman", serif; margin: 1.5cm; color: #000; }
            h1 { font-size: 16pt; margin: 0 0 .3em; }
            table { border-collapse: collapse; width: 100%; }
            th, td { text-align: left; padding: 2px 8px 2px 0; border-bottom: 1px solid #bbb; vertical-align: top; }
            td.n, th.n { text-align: right; color: #444; width: 5em; font-variant-numeric: tabular-nums; }
            thead { display: table-header-group; }
            tr { break-inside: avoid; }
            </style>
            </head>
            <body>
            <h1>\(HTMLEscaping.escape(title))</h1>
            <p>\(count == 1 ? "1 signature" : "\(count) signatures"), numbered in the order they signed.</p>
            <table>
            <thead><tr><th class="n">No.</th>\(headings.map { "<th>\(HTMLEscaping.escape($0))</th>" }.joined())</tr></thead>
            <tbody>

            """
    }
}
