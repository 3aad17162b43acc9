import ArgumentParser
import Foundation
import MegaphoneCampaign
import MegaphoneDelivery
import MegaphoneMail
import MegaphoneOutbox
import MegaphoneSend

/// Where messages go: an SMTP server and how to reach it, or the outbox (shared by
/// `send` and `serve`, whose signer mail uses the same delivery).
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("smtp"), help: ArgumentHelp("smtp://host:587 (STARTTLS required) or smtps://host:465.", valueName: "url"))
    var smtp: String?

    @Option(name: .customLong("starttls"), help: ArgumentHelp("required (default) or never (a relay on loopback only).", valueName: "mode"))
    var starttls: String?

    @Option(name: .customLong("cacert"), help: ArgumentHelp("Trust this CA certificate too.", valueName: "file"))
    var cacert: String?

    @Flag(name: .customLong("insecure"), help: "Do not check the server's certificate (test servers only).")
    var insecure = false

    @Option(name: .customLong("user"), help: ArgumentHelp("The SMTP login (or put it in the URL: smtp://name@host).", valueName: "name"))
    var user: String?

    @Option(name: .customLong("password-file"), help: ArgumentHelp("Read the SMTP password from this file's first line.", valueName: "file"))
    var passwordFile: String?

    @Option(name: .customLong("outbox"), help: ArgumentHelp("The outbox Maildir when no --smtp (default: outbox/ beside the campaign).", valueName: "dir"))
    var outbox: String?

    /// The delivery half of `SendOptions` for one campaign; usage mistakes are `UsageError`s.
    func makeOptions(campaignPath: String, redirectTo: String?, retry: RetryOptions) throws -> SendOptions {
        func usage(_ message: String) -> UsageError { UsageError(message: message) }
        let redirect: String? = try redirectTo.map { text in
            do { return try EmailAddress(text).description } catch { throw usage("--redirect-to: \(error)") }
        }
        let target: SendOptions.Target
        if let url = smtp {
            var settings = SMTPSettings(url: url)
            switch starttls ?? "required" {
            case "required": settings.startTLS = .required
            case "never": settings.startTLS = .never
            case let other: throw usage("--starttls takes required or never, not '\(other)'")
            }
            settings.caFile = cacert
            if let caFile = settings.caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                throw CommandFailure(message: "\(caFile): the --cacert file is missing or unreadable", code: .noInput)
            }
            settings.insecure = insecure
            settings.user = user ?? URLComponents(string: url)?.user
            let environment = ProcessInfo.processInfo.environment
            do {
                let found = try Credentials.password(file: passwordFile, variable: "MEGAPHONE_SMTP_PASSWORD", host: settings.host)
                settings.password = found.password
                settings.user = settings.user ?? found.netrcLogin
            } catch {
                throw CommandFailure(message: error.description, code: .noInput)
            }
            if let bearer = environment["MEGAPHONE_SMTP_BEARER"], !bearer.isEmpty { settings.bearer = bearer }
            if settings.hasCredentials, settings.user == nil {
                throw usage("a password or token is set but no user: give --user or smtp://user@host")
            }
            if let text = retry.timeout {
                guard let seconds = DurationText.seconds(text), seconds >= 1 else { throw usage("--timeout takes a duration of at least 1s, as in 30s or 10m") }
                settings.responseTimeout = Int(seconds)
                settings.connectTimeout = min(settings.connectTimeout, Int(seconds))
            }
            do { try settings.validate() } catch {
                throw CommandFailure(message: error.message, code: .config)
            }
            target = .smtp(settings)
        } else {
            let given: [(String, Bool)] = [("starttls", starttls != nil), ("cacert", cacert != nil), ("user", user != nil),
                                           ("password-file", passwordFile != nil), ("timeout", retry.timeout != nil)]
            for (flag, present) in given where present { throw usage("--\(flag) goes with --smtp") }
            let folder = URL(fileURLWithPath: campaignPath).deletingLastPathComponent().path
            target = .outbox(outbox ?? DisplayPath.resolve("outbox", in: folder))
        }
        var options = SendOptions(target: target, logPath: SendCommand.defaultLog(for: campaignPath, redirect: redirect != nil))
        options.redirectTo = redirect
        try retry.apply(to: &options)
        return options
    }
}

/// Retries and timeouts (shared by `send` and `serve`).
struct RetryOptions: ParsableArguments {
    @Option(name: .customLong("retries"), help: ArgumentHelp("Tries after a temporary failure before deferring (default: 3).", valueName: "n"))
    var retries: String?

    @Option(name: .customLong("max-wait"), help: ArgumentHelp("Longest wait between tries: 500ms, 30s, 5m (default: 2m).", valueName: "duration"))
    var maxWait: String?

    @Option(name: .customLong("timeout"), help: ArgumentHelp("Wait for each server reply (default: 10m, RFC 5321).", valueName: "duration"))
    var timeout: String?

    func apply(to options: inout SendOptions) throws {
        if let text = retries {
            guard let count = Int(text), count >= 0 else { throw UsageError(message: "--retries takes a whole number from 0") }
            options.retry.retries = count
        }
        if let text = maxWait {
            guard let seconds = DurationText.seconds(text) else { throw UsageError(message: "--max-wait takes a duration such as 500ms, 30s, 5m or 2h") }
            options.retry.maximumWait = seconds
            options.retry.firstWait = min(options.retry.firstWait, seconds)
        }
    }
}
