import ArgumentParser
import Foundation
import MegaphoneCampaign
import MegaphoneDelivery
import MegaphoneLog
import MegaphoneMail
import MegaphoneOutbox
import MegaphoneSend
import MegaphoneFiles

/// `megaphone send`: delivers a campaign through an SMTP server, or into the outbox.
struct SendCommand: MegaphoneCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a campaign (to the local outbox unless --smtp names a server).",
        discussion: """
        Every message is checked first, and written as checked to a spool beside the
        send log; a campaign with errors never connects. The sending pass sends the
        spool's bytes. The send log records each attempt before the handoff and each
        outcome after it; running send again resumes, and never sends a message twice.
        Credentials come from MEGAPHONE_SMTP_PASSWORD, --password-file or ~/.netrc (and
        an OAuth 2 token from MEGAPHONE_SMTP_BEARER), never from the command line.
        """)

    @Argument(help: "The campaign file (JSON).")
    var campaign: String

    @Flag(name: .customLong("allow-empty"), help: "Go on when nobody has signed: a joint letter signed by nobody, or no letter at all.")
    var allowEmpty = false

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .customLong("redirect-to"), help: ArgumentHelp("Send every message to this one address instead (a test run).", valueName: "address"))
    var redirectTo: String?

    @Option(name: .customLong("connections"), help: ArgumentHelp("Connections (workers) at once (default: 2).", valueName: "n"))
    var connections: Int?

    @Option(name: .customLong("rate"), help: ArgumentHelp("At most this many messages: 10/s, 300/min, 1000/h.", valueName: "rate"))
    var rate: String?

    @Option(name: .customLong("per-domain"), help: ArgumentHelp("At most this many messages to one domain, as 30/min.", valueName: "rate"))
    var perDomain: String?

    @OptionGroup var retry: RetryOptions

    @Option(name: .customLong("not-before"), help: ArgumentHelp("Hold the run until this time (ISO 8601 with zone): an embargo.", valueName: "time"))
    var notBefore: String?

    @Option(name: .customLong("not-after"), help: ArgumentHelp("Start no new message after this time.", valueName: "time"))
    var notAfter: String?

    @Flag(name: .customLong("resend-uncertain"), help: "Send again messages attempted earlier with no outcome.")
    var resendUncertain = false

    @Flag(name: .customLong("allow-changed"), help: "Resume although messages differ from those in the log.")
    var allowChanged = false

    @Option(name: .customLong("log"), help: ArgumentHelp("The send log (default: NAME.sendlog.jsonl beside the campaign).", valueName: "file"))
    var log: String?

    @Flag(name: .customLong("keep-spool"), help: "Keep the spool of checked messages (NAME.spool beside the log) when nothing is left to send.")
    var keepSpool = false

    @Flag(name: .customLong("include-suppressed"), help: "Send to addresses on the suppression list (NAME.suppressed.txt) too.")
    var includeSuppressed = false

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "No progress display.")
    var quiet = false

    static func defaultLog(for campaign: String, redirect: Bool) -> String {
        DisplayPath.make(URL(fileURLWithPath: CampaignFiles(campaign: campaign).sendLog(redirected: redirect)).standardizedFileURL.path)
    }

    /// Values the parser cannot judge alone: checked by the library's own rules before anything runs.
    func validate() throws {
        if let connections, !SendOptions.connectionRange.contains(connections) {
            throw ValidationError("--connections takes a whole number from 1 to 64")
        }
        if let rate, Rate(rate) == nil { throw ValidationError("--rate takes a pace such as 10/s, 300/min or 1000/h") }
        if let perDomain, Rate(perDomain) == nil { throw ValidationError("--per-domain takes a pace such as 30/min") }
    }

    func execute(console: Console) throws -> Status {
        let path = self.campaign
        var options = try connection.makeOptions(campaignPath: path, redirectTo: redirectTo, retry: retry)
        try configure(&options)
        // Whether anybody signed is checked by the run, once it holds the send log.
        let campaign = try CampaignCommands.open(path, console: console)
        let display = ProgressDisplay(console: console, quiet: quiet)
        switch options.target {
        case .outbox(let outbox): console.err("No --smtp server given: messages go to the outbox Maildir \(outbox) (nothing leaves this machine).\n")
        case .smtp(let settings):
            if settings.insecure { console.err("warning: --insecure: the server's certificate is not checked; use it only with test servers\n") }
        }
        if let redirect = options.redirectTo { console.err("Every message goes to \(redirect) instead of its recipients; the log is \(options.logPath).\n") }
        let run = SendRun(campaign: campaign, options: options) { event in display.handle(event) }
        let signals = SignalWatcher { signal in run.stop(signal: signal) }
        defer { signals.cancel() }
        let summary: SendSummary
        do {
            summary = try run.run()
        } catch {
            display.finish()
            switch error {
            case .campaign(let problems, let missingFile):
                for problem in problems { console.err(problem + "\n") }
                console.err("megaphone: nothing was sent: fix the errors above ('megaphone check \(path)' lists them all)\n")
                return missingFile ? .noInput : .dataError
            case .changed(let messages):
                for message in messages { console.err("  \(message)\n") }
                console.err("megaphone: the campaign changed since \(options.logPath) was started (\(messages.count) message\(messages.count == 1 ? "" : "s") above); run with --allow-changed to resume anyway\n")
                return .dataError
            case .log(let error):
                console.err("\(error)\n")
                return Status(error)
            case .delivery(let failure):
                console.err("megaphone: \(failure.message)\n")
                return Status(failure)
            case .spool(let error):
                console.err("megaphone: \(error)\n")
                return Status(error)
            }
        }
        display.finish()
        console.err(SummaryTable.text(summary, campaign: campaign.manifest.name, log: options.logPath))
        switch summary.stopReason {
        case .fatal(let error)?:
            console.err("megaphone: stopped: \(error.message)\n")
            return Status(error)
        case .signal(let number)?:
            return number == SIGTERM ? .terminated : .interrupted
        case .spool(let error)?:
            console.err("megaphone: stopped: \(error)\n")
            return .temporaryFailure
        default:
            break
        }
        if summary.failed > 0 { return .dataError }
        if summary.deferred > 0 || summary.uncertain > 0 || !summary.uncertainEarlier.isEmpty || summary.notStarted > 0 { return .temporaryFailure }
        return .success
    }

    /// The options only send has: pace, embargo, resumption, the spool.
    func configure(_ options: inout SendOptions) throws {
        func usage(_ message: String) -> UsageError { UsageError(message: message) }
        // Checked by validate() before the command runs.
        if let connections { options.connections = connections }
        options.rate = rate.flatMap(Rate.init)
        options.perDomain = perDomain.flatMap(Rate.init)
        func time(_ name: String, _ text: String?) throws -> Date? {
            guard let text else { return nil }
            let formatter = ISO8601DateFormatter()
            for format: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
                formatter.formatOptions = format
                if let date = formatter.date(from: text) { return date }
            }
            throw usage("--\(name) takes an ISO 8601 time with its zone, as in 2026-11-30T06:00:00Z or 2026-11-30T07:00:00+01:00")
        }
        options.notBefore = try time("not-before", notBefore)
        options.notAfter = try time("not-after", notAfter)
        options.resendUncertain = resendUncertain
        options.allowChanged = allowChanged
        options.allowEmpty = allowEmpty
        options.keepSpool = keepSpool
        options.includeSuppressed = includeSuppressed
        if let log { options.logPath = log }
    }
}
