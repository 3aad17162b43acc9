import Foundation
import MegaphoneCampaign
import MegaphoneDelivery
import MegaphoneLog
import MegaphoneMail
import MegaphoneSend

/// `megaphone send`: delivers a campaign through an SMTP server, or into the outbox.
enum SendCommand: Command {
    static let spec = CommandSpec(
        path: ["send"],
        abstract: "Send a campaign (to the local outbox unless --smtp names a server).",
        discussion: """
        Every message is checked first; a campaign with errors never connects. The
        send log records each attempt before the handoff and each outcome after it;
        running send again resumes, and never sends a message twice. Credentials come
        from MEGAPHONE_SMTP_PASSWORD, --password-file or ~/.netrc (and an OAuth 2
        token from MEGAPHONE_SMTP_BEARER), never from the command line.
        """,
        arguments: [ArgumentSpec(name: "campaign", help: "The campaign file (JSON).")],
        options: connectionOptions + [
            OptionSpec(name: "redirect-to", valueName: "address", help: "Send every message to this one address instead (a test run)."),
            OptionSpec(name: "connections", valueName: "n", help: "Connections (workers) at once (default: 2)."),
            OptionSpec(name: "rate", valueName: "rate", help: "At most this many messages: 10/s, 300/min, 1000/h."),
            OptionSpec(name: "per-domain", valueName: "rate", help: "At most this many messages to one domain, as 30/min."),
        ] + retryOptions + [
            OptionSpec(name: "not-before", valueName: "time", help: "Hold the run until this time (ISO 8601 with zone): an embargo."),
            OptionSpec(name: "not-after", valueName: "time", help: "Start no new message after this time."),
            OptionSpec(name: "resend-uncertain", help: "Send again messages attempted earlier with no outcome."),
            OptionSpec(name: "allow-changed", help: "Resume although messages differ from those in the log."),
            OptionSpec(name: "log", valueName: "file", help: "The send log (default: NAME.sendlog.jsonl beside the campaign)."),
            OptionSpec(name: "keep-spool", help: "Keep the spool of checked messages (NAME.spool beside the log) when nothing is left to send."),
            OptionSpec(name: "quiet", short: "q", help: "No progress display."),
        ])

    /// Where messages go (shared with `serve`, whose signer mail uses the same delivery).
    static let connectionOptions: [OptionSpec] = [
        OptionSpec(name: "smtp", valueName: "url", help: "smtp://host:587 (STARTTLS required) or smtps://host:465."),
        OptionSpec(name: "starttls", valueName: "mode", help: "required (default) or never (a relay on loopback only)."),
        OptionSpec(name: "cacert", valueName: "file", help: "Trust this CA certificate too."),
        OptionSpec(name: "insecure", help: "Do not check the server's certificate (test servers only)."),
        OptionSpec(name: "user", valueName: "name", help: "The SMTP login (or put it in the URL: smtp://name@host)."),
        OptionSpec(name: "password-file", valueName: "file", help: "Read the SMTP password from this file's first line."),
        OptionSpec(name: "outbox", valueName: "dir", help: "The outbox Maildir when no --smtp (default: outbox/ beside the campaign)."),
    ]

    /// Retries and timeouts (shared with `serve`).
    static let retryOptions: [OptionSpec] = [
        OptionSpec(name: "retries", valueName: "n", help: "Tries after a temporary failure before deferring (default: 3)."),
        OptionSpec(name: "max-wait", valueName: "duration", help: "Longest wait between tries: 500ms, 30s, 5m (default: 2m)."),
        OptionSpec(name: "timeout", valueName: "duration", help: "Wait for each server reply (default: 10m, RFC 5321)."),
    ]

    static func defaultLog(for campaign: String, redirect: Bool) -> String {
        let url = URL(fileURLWithPath: campaign)
        let name = url.deletingPathExtension().lastPathComponent
        let folder = url.deletingLastPathComponent().path
        let file = "\(name)\(redirect ? ".redirect" : "").sendlog.jsonl"
        return DisplayPath.resolve(file, in: folder)
    }

    static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard let path = arguments.positionals.first else { return .usage }
        let options = try makeOptions(arguments, campaignPath: path, console: console)
        let campaign = try CampaignCommands.open(path, console: console)
        let display = ProgressDisplay(console: console, quiet: arguments.flag("quiet"))
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
                switch error.code {
                case .damaged: return .dataError
                case .inUse: return .temporaryFailure
                case .unwritable: return .cannotCreate
                }
            case .delivery(let failure):
                console.err("megaphone: \(failure.message)\n")
                return failure.kind == .configuration ? .config : .unavailable
            case .spool(let error):
                console.err("megaphone: \(error)\n")
                return error.kind == .unwritable ? .cannotCreate : .temporaryFailure
            }
        }
        display.finish()
        console.err(SummaryTable.text(summary, campaign: campaign.manifest.name, log: options.logPath))
        switch summary.stopReason {
        case .fatal(let error)?:
            console.err("megaphone: stopped: \(error.message)\n")
            return error.kind == .configuration ? .config : .unavailable
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

    static func makeOptions(_ arguments: ParsedArguments, campaignPath: String, console: Console) throws -> SendOptions {
        func usage(_ message: String) -> UsageError { UsageError(message: message, command: spec) }
        let redirect: String? = try arguments.value("redirect-to").map { text in
            do { return try EmailAddress(text).description } catch { throw usage("--redirect-to: \(error)") }
        }
        let target: SendOptions.Target
        if let url = arguments.value("smtp") {
            var settings = SMTPSettings(url: url)
            switch arguments.value("starttls") ?? "required" {
            case "required": settings.startTLS = .required
            case "never": settings.startTLS = .never
            case let other: throw usage("--starttls takes required or never, not '\(other)'")
            }
            settings.caFile = arguments.value("cacert")
            if let caFile = settings.caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                throw CommandFailure(message: "\(caFile): the --cacert file is missing or unreadable", code: .noInput)
            }
            settings.insecure = arguments.flag("insecure")
            settings.user = arguments.value("user") ?? URLComponents(string: url)?.user
            let environment = ProcessInfo.processInfo.environment
            if let file = arguments.value("password-file") {
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                    throw CommandFailure(message: "\(file): the --password-file is missing or unreadable", code: .noInput)
                }
                settings.password = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
                    .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            } else if let password = environment["MEGAPHONE_SMTP_PASSWORD"], !password.isEmpty {
                settings.password = password
            } else if let host = settings.host {
                let netrc = environment["NETRC"] ?? (NSHomeDirectory() + "/.netrc")
                if let found = Netrc.credentials(for: host, file: netrc), found.password != nil {
                    settings.password = found.password
                    settings.user = settings.user ?? found.login
                }
            }
            if let bearer = environment["MEGAPHONE_SMTP_BEARER"], !bearer.isEmpty { settings.bearer = bearer }
            if settings.hasCredentials, settings.user == nil {
                throw usage("a password or token is set but no user: give --user or smtp://user@host")
            }
            if let text = arguments.value("timeout") {
                guard let seconds = DurationText.seconds(text), seconds >= 1 else { throw usage("--timeout takes a duration of at least 1s, as in 30s or 10m") }
                settings.responseTimeout = Int(seconds)
                settings.connectTimeout = min(settings.connectTimeout, Int(seconds))
            }
            do { try settings.validate() } catch {
                throw CommandFailure(message: error.message, code: .config)
            }
            target = .smtp(settings)
        } else {
            for flag in ["starttls", "cacert", "user", "password-file", "timeout"] where arguments.value(flag) != nil {
                throw usage("--\(flag) goes with --smtp")
            }
            let folder = URL(fileURLWithPath: campaignPath).deletingLastPathComponent().path
            target = .outbox(arguments.value("outbox") ?? DisplayPath.resolve("outbox", in: folder))
        }
        var options = SendOptions(target: target, logPath: arguments.value("log") ?? defaultLog(for: campaignPath, redirect: redirect != nil))
        options.redirectTo = redirect
        if let text = arguments.value("connections") {
            guard let count = Int(text), (1...64).contains(count) else { throw usage("--connections takes a whole number from 1 to 64") }
            options.connections = count
        }
        if let text = arguments.value("rate") {
            guard let rate = Rate(text) else { throw usage("--rate takes a pace such as 10/s, 300/min or 1000/h") }
            options.rate = rate
        }
        if let text = arguments.value("per-domain") {
            guard let rate = Rate(text) else { throw usage("--per-domain takes a pace such as 30/min") }
            options.perDomain = rate
        }
        if let text = arguments.value("retries") {
            guard let count = Int(text), count >= 0 else { throw usage("--retries takes a whole number from 0") }
            options.retry.retries = count
        }
        if let text = arguments.value("max-wait") {
            guard let seconds = DurationText.seconds(text) else { throw usage("--max-wait takes a duration such as 500ms, 30s, 5m or 2h") }
            options.retry.maximumWait = seconds
            options.retry.firstWait = min(options.retry.firstWait, seconds)
        }
        func time(_ name: String) throws -> Date? {
            guard let text = arguments.value(name) else { return nil }
            let formatter = ISO8601DateFormatter()
            for format: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
                formatter.formatOptions = format
                if let date = formatter.date(from: text) { return date }
            }
            throw usage("--\(name) takes an ISO 8601 time with its zone, as in 2026-11-30T06:00:00Z or 2026-11-30T07:00:00+01:00")
        }
        options.notBefore = try time("not-before")
        options.notAfter = try time("not-after")
        options.resendUncertain = arguments.flag("resend-uncertain")
        options.allowChanged = arguments.flag("allow-changed")
        options.keepSpool = arguments.flag("keep-spool")
        return options
    }
}
