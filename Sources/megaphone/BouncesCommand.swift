import ArgumentParser
import Foundation
import MegaphoneBounces
import MegaphoneCampaign
import MegaphoneDelivery
import MegaphoneLog
import MegaphoneSuppression

/// `megaphone bounces`: reads the mail that came back to a campaign's bounce address.
struct BouncesCommand: MegaphoneCommand {
    static let configuration = CommandConfiguration(
        commandName: "bounces",
        abstract: "Read returned mail: record bounces in the send log, suppress bad addresses.",
        discussion: """
        Reads a Maildir, an mbox file or an IMAP mailbox (changing nothing in it) and
        matches each delivery report or bounce to the letter it returns, by the VERP
        token in the campaign's bounce address, else by the letter's Message-ID or
        X-Campaign header. Bounces go into the send log (megaphone log shows them); a
        hard bounce's address goes on NAME.suppressed.txt, which send skips. Replies and
        auto-replies are listed, never counted as bounces. Mail already read is
        remembered (NAME.bounces.jsonl beside the send log): a second run adds nothing.
        The IMAP password comes from MEGAPHONE_IMAP_PASSWORD, --password-file or ~/.netrc.
        """)

    @Argument(help: "The campaign file (JSON).")
    var campaign: String

    @Option(name: .customLong("maildir"), help: ArgumentHelp("Read this Maildir (its new/ and cur/).", valueName: "dir"))
    var maildir: String?

    @Option(name: .customLong("mbox"), help: ArgumentHelp("Read this mbox file.", valueName: "file"))
    var mbox: String?

    @Option(name: .customLong("imap"), help: ArgumentHelp("Read this IMAP mailbox: imaps://host/INBOX (TLS required).", valueName: "url"))
    var imap: String?

    @Option(name: .customLong("user"), help: ArgumentHelp("The IMAP login (or put it in the URL: imaps://name@host/INBOX).", valueName: "name"))
    var user: String?

    @Option(name: .customLong("password-file"), help: ArgumentHelp("Read the IMAP password from this file's first line.", valueName: "file"))
    var passwordFile: String?

    @Option(name: .customLong("cacert"), help: ArgumentHelp("Trust this CA certificate too.", valueName: "file"))
    var cacert: String?

    @Flag(name: .customLong("insecure"), help: "Do not check the server's certificate (test servers only).")
    var insecure = false

    @Option(name: .customLong("log"), help: ArgumentHelp("The send log (default: NAME.sendlog.jsonl beside the campaign).", valueName: "file"))
    var log: String?

    func execute(console: Console) throws -> Status {
        let sources = [maildir != nil, mbox != nil, imap != nil].filter { $0 }.count
        guard sources == 1 else { throw UsageError(message: "Give one of --maildir DIR, --mbox FILE or --imap imaps://HOST/INBOX") }
        if imap == nil {
            for (flag, given) in [("user", user != nil), ("password-file", passwordFile != nil), ("cacert", cacert != nil), ("insecure", insecure)] where given {
                throw UsageError(message: "--\(flag) goes with --imap")
            }
        }
        let source: BounceSource
        if let maildir { source = .maildir(maildir) }
        else if let mbox { source = .mbox(mbox) }
        else { source = .imap(try imapSettings(imap ?? "")) }
        let campaign = try CampaignCommands.open(self.campaign, console: console)
        let logPath = log ?? SendCommand.defaultLog(for: self.campaign, redirect: false)
        let report: BounceProcessor.Report
        do {
            report = try BounceProcessor(campaign: campaign, logPath: logPath).process(source)
        } catch {
            console.err("megaphone: \(error.message)\n")
            return Status(error)
        }
        console.out(Self.text(report, campaign: campaign, logPath: logPath))
        return .success
    }

    private func imapSettings(_ url: String) throws -> IMAPSettings {
        var settings = IMAPSettings(url: url)
        settings.caFile = cacert
        if let caFile = cacert, !FileManager.default.isReadableFile(atPath: caFile) {
            throw CommandFailure(message: "\(caFile): the --cacert file is missing or unreadable", code: .noInput)
        }
        settings.insecure = insecure
        settings.user = user ?? URLComponents(string: url)?.user
        do {
            let found = try Credentials.password(file: passwordFile, variable: "MEGAPHONE_IMAP_PASSWORD", host: settings.host)
            settings.password = found.password
            settings.user = settings.user ?? found.netrcLogin
        } catch {
            throw CommandFailure(message: error.description, code: .noInput)
        }
        if settings.password != nil, settings.user == nil {
            throw UsageError(message: "a password is set but no user: give --user or imaps://user@host/INBOX")
        }
        do { try settings.validate() } catch {
            throw CommandFailure(message: error.message, code: .config)
        }
        return settings
    }

    static func text(_ report: BounceProcessor.Report, campaign: Campaign, logPath: String) -> String {
        var text = "Read \(report.read) returned message\(report.read == 1 ? "" : "s")"
        if report.alreadyRead > 0 { text += " (\(report.alreadyRead) read before, skipped)" }
        text += " for campaign \(campaign.manifest.name).\n"
        let hard = report.bounced.filter { $0.bounce.kind == .hard }.count
        let soft = report.bounced.filter { $0.bounce.kind == .soft }.count
        let blocked = report.bounced.filter { $0.bounce.kind == .blocked }.count
        text += "  bounced     \(report.bounced.count)  (\(hard) hard, \(soft) soft, \(blocked) blocked by policy)\n"
        text += "  replies     \(report.replies.count)\n"
        text += "  unmatched   \(report.unmatched.count)\n"
        if !report.bounced.isEmpty {
            text += "\nbounced:\n"
            for item in report.bounced {
                text += "  #\(item.number.map(String.init) ?? "?") \(item.bounce.finalRecipient ?? item.key) — \(item.bounce.summary)\n"
            }
        }
        if !report.replies.isEmpty {
            text += "\nreplies (not bounces; read them yourself):\n"
            for item in report.replies { text += "  \(item.note): \(item.from) — \(item.subject)\n" }
        }
        if !report.unmatched.isEmpty {
            text += "\nunmatched (bounces that name no letter of this campaign):\n"
            for item in report.unmatched { text += "  \(item.from) — \(item.subject)\n" }
        }
        if !report.suppressed.isEmpty {
            text += "\nAdded to \(SuppressionList.path(forCampaign: campaign.manifest.path)) (send skips them): \(report.suppressed.joined(separator: ", "))\n"
        }
        text += "Log: \(logPath)\n"
        return text
    }
}
