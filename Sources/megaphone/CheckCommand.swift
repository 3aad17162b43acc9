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

    func execute(console: Console) throws -> Status {
        let report = CampaignChecker.check(campaign)
        var output = report.diagnostics.map { $0.description + "\n" }.joined()
        if report.errorCount == 0, report.messageCount > 0 {
            let spool = Spool.path(forLog: SendCommand.defaultLog(for: campaign, redirect: false))
            output += "A send spools \(report.messageCount) message\(report.messageCount == 1 ? "" : "s") (\(ByteCount.text(report.byteCount))) beside the send log (\(spool)): have that much free disk there.\n"
        }
        if let (list, count) = report.suppressionList {
            output += "\(list): \(count) suppressed address\(count == 1 ? "" : "es") (bounced or unsubscribed); \(report.suppressedCount) message\(report.suppressedCount == 1 ? "" : "s") go\(report.suppressedCount == 1 ? "es" : "") only to them, and send skips \(report.suppressedCount == 1 ? "it" : "them") (--include-suppressed sends them).\n"
        }
        output += report.summary + "\n"
        console.out(output)
        if report.errorCount > 0 { return report.hasMissingFile ? .noInput : .dataError }
        return .success
    }
}
