import ArgumentParser
import MegaphoneCampaign
import MegaphoneSend

/// `megaphone check`: validates a whole campaign before anything is sent.
struct CheckCommand: MegaphoneCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a campaign: every file, row, header, address and letter.",
        discussion: """
        Renders every message in strict mode without writing or sending anything, and
        lists every problem as file:line:column, then a summary line.
        """)

    @Argument(help: "The campaign file (JSON).")
    var campaign: String

    @Flag(name: .customLong("allow-empty"), help: "Do not count it an error when nobody has signed (a joint letter signed by nobody, or no letter at all).")
    var allowEmpty = false

    @Flag(name: .customLong("similarity"), help: "Also compare each recipient's letters: warn where one gets many near-identical letters.")
    var similarity = false

    @Option(name: .customLong("threshold"), help: ArgumentHelp("With --similarity: near-identical letters one recipient may get (default: 6).", valueName: "n"))
    var threshold: String?

    func execute(console: Console) throws -> Status {
        var limit: Int? = nil
        if let threshold {
            guard similarity else { throw UsageError(message: "--threshold goes with --similarity") }
            guard let value = Int(threshold), value >= 1 else { throw UsageError(message: "--threshold takes a whole number from 1") }
            limit = value
        }
        if similarity, limit == nil { limit = 6 }
        let report = CampaignChecker.check(campaign, similarityThreshold: limit, allowEmpty: allowEmpty)
        var output = report.diagnostics.map { $0.description + "\n" }.joined()
        if report.errorCount == 0, report.messageCount > 0 {
            let spool = Spool.path(forLog: SendCommand.defaultLog(for: campaign, redirect: false))
            output += "A send spools \(report.messageCount) message\(report.messageCount == 1 ? "" : "s") (\(ByteCount.text(report.byteCount))) beside the send log (\(spool)): have that much free disk there.\n"
        }
        if let (list, count) = report.suppressionList {
            output += "\(list): \(count) suppressed address\(count == 1 ? "" : "es") (bounced or unsubscribed); \(report.suppressedCount) message\(report.suppressedCount == 1 ? "" : "s") go\(report.suppressedCount == 1 ? "es" : "") only to them, and send skips \(report.suppressedCount == 1 ? "it" : "them") (--include-suppressed sends them).\n"
        }
        if let similarity = report.similarity {
            let median = similarity.medianSimilarity.map { "\(Int(($0 * 100).rounded()))%" } ?? "no two letters to one recipient"
            output += "Similarity: \(similarity.recipientCount) recipient\(similarity.recipientCount == 1 ? "" : "s"); at most \(similarity.largestGroup) near-identical letter\(similarity.largestGroup == 1 ? "" : "s") to one (Jaccard ≥ 0.9 over 4-word shingles); median similarity \(median); \(report.similarityFindings.count) recipient\(report.similarityFindings.count == 1 ? "" : "s") over \(limit ?? 6).\n"
        }
        output += report.summary + "\n"
        console.out(output)
        if report.errorCount > 0 { return report.hasMissingFile ? .noInput : .dataError }
        return .success
    }
}
