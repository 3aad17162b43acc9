import Foundation
import MegaphoneTemplate

/// A template written like an email: a block of headers (`Subject:`, `To:`, `X-…`),
/// a blank line, then the body. Each header value and the body compile separately,
/// so a value can never add a header, and errors still point at the file's lines.
struct LetterTemplate: Sendable {
    struct HeaderTemplate: Sendable {
        /// The header's name in its usual spelling (`Reply-To`, `X-Campaign`).
        let name: String
        let template: Template
        let line: Int
    }

    let path: String
    let headers: [HeaderTemplate]
    let body: Template

    static let settable = ["from": "From", "to": "To", "cc": "Cc", "bcc": "Bcc", "reply-to": "Reply-To", "subject": "Subject"]

    func header(_ name: String) -> HeaderTemplate? { headers.first { $0.name == name } }

    static func load(path: String, options: Template.Options, partials: (any PartialProvider)?) -> (LetterTemplate?, [CampaignDiagnostic]) {
        guard FileManager.default.fileExists(atPath: path), let data = FileManager.default.contents(atPath: path) else {
            return (nil, [CampaignDiagnostic(path: path, message: "no such template file; check the path", isMissingFile: true)])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (nil, [CampaignDiagnostic(path: path, message: "the template is not valid UTF-8; save it as UTF-8")])
        }
        var problems: [CampaignDiagnostic] = []
        var headers: [HeaderTemplate] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = first.dropFirst() }
        var bodyStart: Int? = nil
        var seen: Set<String> = []
        for (index, line) in lines.enumerated() {
            let number = index + 1
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                bodyStart = index + 1
                break
            }
            func problem(_ message: String, column: Int = 1) {
                problems.append(CampaignDiagnostic(path: path, line: number, column: column, message: message, sourceLine: String(line)))
            }
            if line.first == " " || line.first == "\t" {
                problem("a header cannot continue on the next line; write it on one line (Megaphone folds long headers itself)")
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                problem(index == 0
                    ? "a template starts with its headers (at least 'Subject: …'), then a blank line, then the body"
                    : "this line is among the headers but is not a header; put a blank line between the headers and the body")
                continue
            }
            let rawName = String(line[..<colon])
            let lowered = rawName.lowercased()
            let name: String
            if let known = settable[lowered] {
                name = known
            } else if lowered.hasPrefix("x-"), rawName.count > 2, rawName.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 }) {
                name = rawName
            } else {
                problem("the header '\(rawName)' cannot be set in a template; use From, To, Cc, Bcc, Reply-To, Subject or an X-… header (Megaphone writes Date, Message-ID and the MIME headers itself)")
                continue
            }
            guard seen.insert(name.lowercased()).inserted else {
                problem("the \(name) header appears twice; write all its values on one line, separated by commas for addresses")
                continue
            }
            var valueStart = line.index(after: colon)
            while valueStart < line.endIndex, line[valueStart] == " " || line[valueStart] == "\t" { valueStart = line.index(after: valueStart) }
            do {
                let template = try Template(source: String(line[valueStart...]), path: path, options: options, partials: partials,
                                            startLine: number, firstLinePrefix: String(line[..<valueStart]))
                headers.append(HeaderTemplate(name: name, template: template, line: number))
            } catch {
                problems += error.diagnostics.map(CampaignDiagnostic.init)
            }
        }
        guard let bodyStart else {
            problems.append(CampaignDiagnostic(path: path, line: lines.count, message: "the template has no blank line after its headers, so it has no body; add a blank line and the letter's text"))
            return (nil, problems)
        }
        if !seen.contains("subject") {
            problems.append(CampaignDiagnostic(path: path, line: 1, column: 1, message: "the template has no Subject header; add 'Subject: …' as its first line",
                                               sourceLine: lines.first.map(String.init)))
        }
        let bodyText = lines[bodyStart...].joined(separator: "\n")
        var body: Template? = nil
        do {
            body = try Template(source: bodyText, path: path, options: options, partials: partials, startLine: bodyStart + 1)
        } catch {
            problems += error.diagnostics.map(CampaignDiagnostic.init)
        }
        guard problems.isEmpty, let body else { return (nil, problems) }
        return (LetterTemplate(path: path, headers: headers, body: body), [])
    }
}
