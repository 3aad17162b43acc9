public import Foundation
import MegaphoneMail
import MegaphoneSuppression

/// The result of checking a campaign: every problem found, and the counts.
public struct CheckReport: Sendable {
    /// Problems in the order found; a problem repeated across messages is listed once with a count.
    public let diagnostics: [CampaignDiagnostic]
    /// How many messages the campaign would send.
    public let messageCount: Int
    /// The messages' bytes together: about what a first `send` writes to its spool.
    public var byteCount = 0
    /// Messages whose every recipient is on the suppression list: `send` skips them.
    public var suppressedCount = 0
    /// With `--similarity`: how alike each recipient's letters are.
    public var similarity: LetterSimilarity? = nil
    /// Recipients getting more near-identical letters than the threshold.
    public var similarityFindings: [LetterSimilarity.Finding] = []
    /// The campaign's suppression list, with how many addresses it holds.
    public var suppressionList: (path: String, count: Int)? = nil

    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }
    /// True when an error is a missing file (exit 66 rather than 65).
    public var hasMissingFile: Bool { diagnostics.contains { $0.isMissingFile && $0.severity == .error } }

    /// `3 messages, 0 errors, 1 warning`.
    public var summary: String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        return "\(plural(messageCount, "message")), \(plural(errorCount, "error")), \(plural(warningCount, "warning"))"
    }
}

/// Checks a whole campaign before anything is sent: the campaign file, every data
/// file, every message rendered in strict mode, every header and address,
/// attachments, duplicates. Nothing is written and nothing connects.
public enum CampaignChecker {
    /// - Parameter similarityThreshold: with a value, letters are also compared per
    ///   recipient, and a recipient getting more near-identical letters than this is warned of.
    ///   - allowEmpty: a joint letter nobody signed, or an each-signer campaign with no
    ///     signer, is then not an error.
    public static func check(_ path: String, date: Date = Date(), similarityThreshold: Int? = nil, allowEmpty: Bool = false) -> CheckReport {
        var collector = DiagnosticCollector()
        let (campaign, openProblems) = Campaign.open(path, date: date)
        collector.add(openProblems)
        guard let campaign else { return collector.report(messageCount: 0) }
        if !allowEmpty, let empty = campaign.emptySignersProblem { collector.add([empty]) }
        collector.add(campaign.reviewWarnings)
        var count = 0
        var bytes = 0
        var suppressed = 0
        let suppression = campaign.suppression
        var similarity = similarityThreshold.map { _ in LetterSimilarity() }
        do {
            let stream = try campaign.messages()
            while let outcome = stream.next() {
                switch outcome {
                case .composed(let message):
                    count += 1
                    // The message and its spool header line (numbers, hash, addresses).
                    bytes += message.bytes.count + 120 + message.key.utf8.count * 2
                    collector.add(message.warnings)
                    for recipient in message.message.envelopeRecipients.prefix(1) {
                        similarity?.add(recipient: recipient.description.lowercased(), number: message.number, text: message.message.text)
                    }
                    if !suppression.isEmpty, suppression.coversAll(message.message.envelopeRecipients.map(\.description)) {
                        suppressed += 1
                    }
                case .problems(let problems):
                    if problems.contains(where: { $0.severity == .error }) { count += 1 }
                    collector.add(problems)
                }
            }
        } catch {
            collector.add(error.diagnostics)
        }
        let findings = similarityThreshold.flatMap { threshold in similarity?.findings(threshold: threshold) } ?? []
        if let threshold = similarityThreshold {
            for finding in findings {
                let shown = finding.numbers.prefix(30).map { "#\($0)" }.joined(separator: ", ") + (finding.numbers.count > 30 ? ", …" : "")
                collector.add([CampaignDiagnostic(.warning, path: campaign.manifest.path, message: "\(finding.recipient) would get \(finding.numbers.count) near-identical letters of \(finding.letters) (messages \(shown)); officials' mail systems discard batches of identical letters: vary them with | pick over alternative paragraphs and the signer's own paragraph (signer.message), or stay at \(threshold) or fewer")])
            }
        }
        var report = collector.report(messageCount: count)
        report.similarity = similarity
        report.similarityFindings = findings
        report.byteCount = bytes
        report.suppressedCount = suppressed
        if !suppression.isEmpty { report.suppressionList = (suppression.path, suppression.count) }
        return report
    }
}

/// Gathers diagnostics, listing one that repeats in many messages once, with a count.
struct DiagnosticCollector {
    private var order: [CampaignDiagnostic] = []
    private var counts: [CampaignDiagnostic: Int] = [:]

    mutating func add(_ diagnostics: [CampaignDiagnostic]) {
        for diagnostic in diagnostics {
            if let count = counts[diagnostic] {
                counts[diagnostic] = count + 1
            } else {
                counts[diagnostic] = 1
                order.append(diagnostic)
            }
        }
    }

    func report(messageCount: Int) -> CheckReport {
        let listed = order.map { diagnostic in
            let count = counts[diagnostic] ?? 1
            return count > 1 ? diagnostic.appending(" (in \(count) messages)") : diagnostic
        }
        return CheckReport(diagnostics: listed, messageCount: messageCount)
    }
}
