import Foundation
import MegaphoneSend

/// The table printed when a send ends.
enum SummaryTable {
    static func text(_ summary: SendSummary, campaign: String, log: String) -> String {
        var rows: [(String, Int, String)] = [
            ("sent", summary.sent, ""),
            ("deferred", summary.deferred, summary.deferred > 0 ? "run send again later to retry them" : ""),
            ("failed", summary.failed, summary.failed > 0 ? "refused for good; 'megaphone log … --state failed' shows why" : ""),
            ("uncertain", summary.uncertain, summary.uncertain > 0 ? "handed over with no reply; not sent again unless --resend-uncertain" : ""),
        ]
        if summary.alreadySent > 0 { rows.append(("already sent", summary.alreadySent, "by earlier runs")) }
        if summary.failedEarlier > 0 { rows.append(("failed earlier", summary.failedEarlier, "not tried again")) }
        if summary.suppressed > 0 { rows.append(("suppressed", summary.suppressed, "on the suppression list (bounced or unsubscribed); --include-suppressed sends them")) }
        if !summary.uncertainEarlier.isEmpty {
            rows.append(("uncertain earlier", summary.uncertainEarlier.count, "attempted with no outcome; not sent again unless --resend-uncertain"))
        }
        if summary.notStarted > 0 { rows.append(("not started", summary.notStarted, "the run stopped first; run send again")) }
        var text = "\nCampaign \(campaign): \(summary.total) message\(summary.total == 1 ? "" : "s"), \(ProgressDisplay.duration(summary.elapsed))\n"
        for (name, count, note) in rows {
            let label = name.padding(toLength: 18, withPad: " ", startingAt: 0)
            let number = String(count)
            text += "  \(label)\(String(repeating: " ", count: max(0, 7 - number.count)))\(number)\(note.isEmpty ? "" : "  \(note)")\n"
        }
        for message in summary.uncertainEarlier.prefix(20) { text += "    uncertain: \(message)\n" }
        if summary.uncertainEarlier.count > 20 { text += "    … and \(summary.uncertainEarlier.count - 20) more ('megaphone log' lists them)\n" }
        text += "Log: \(log)\n"
        if let spool = summary.keptSpool {
            text += "Spool: \(spool) (the checked messages\(summary.reusedSpool ? ", kept from an earlier run" : ""); the next run checks it against the campaign and sends from it)\n"
        }
        return text
    }
}
