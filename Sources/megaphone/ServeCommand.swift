import ArgumentParser
import Foundation
import Logging
import MegaphoneCampaign
import MegaphoneDelivery
import MegaphoneOutbox
import MegaphoneSend
import MegaphoneSignerMail
import MegaphoneWeb

/// `megaphone serve`: the supporters' pages for one or more campaigns, their email
/// confirmation and signature store, and the organiser's /admin.
struct ServeCommand: AsyncMegaphoneCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve campaigns' petition and letter pages (signing, email confirmation, /admin).",
        discussion: """
        Each campaign needs a "page" and "signers": {"store": …}. Signer mail (the
        confirmation emails, and letter-page signers' letters) goes to the outbox
        Maildir unless --smtp names a server, with the same delivery options as send.
        The organiser's token comes from MEGAPHONE_ADMIN_TOKEN or --admin-token-file,
        never from the command line; an organiser's login lasts --admin-session, and
        an address that gives 5 wrong tokens in 15 minutes waits (429). SIGTERM or
        SIGINT stops the server gracefully.
        """)

    @Argument(help: "The campaign files (JSON), one or more.")
    var campaigns: [String]

    @Option(name: .customLong("listen"), help: ArgumentHelp("Where to listen (default: 127.0.0.1:8080).", valueName: "host:port"))
    var listen: String?

    @Option(name: .customLong("base-url"), help: ArgumentHelp("The public address links start with (default: http://HOST:PORT).", valueName: "url"))
    var baseURL: String?

    @Option(name: .customLong("per-ip"), help: ArgumentHelp("Signatures per IP and campaign before quarantine: 120/min (default), 500/h, or 0 (off).", valueName: "rate"))
    var perIP: String?

    @Option(name: .customLong("admin-token-file"), help: ArgumentHelp("Read the organiser's token from this file's first line.", valueName: "file"))
    var adminTokenFile: String?

    @Option(name: .customLong("admin-session"), help: ArgumentHelp("How long an organiser's login lasts: 30m, 12h (default), up to 168h.", valueName: "duration"))
    var adminSession: String?

    @Option(name: .customLong("header-timeout"), help: ArgumentHelp("Time a client has to send a request's line and headers (500ms, 30s, 2m, 1h).", valueName: "duration"))
    var headerTimeout = TimeoutArgument(ServerLimits().headerTimeout)

    @Option(name: .customLong("body-timeout"), help: ArgumentHelp("Time a client has to send a request's body once its headers are in (500ms, 30s, 2m, 1h).", valueName: "duration"))
    var bodyTimeout = TimeoutArgument(ServerLimits().bodyTimeout)

    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Time a kept-alive connection may wait for its next request (500ms, 30s, 2m, 1h).", valueName: "duration"))
    var idleTimeout = TimeoutArgument(ServerLimits().idleTimeout)

    @Option(name: .customLong("max-connections"), help: ArgumentHelp("Connections open at once, at most (lowered to fit the open-files limit).", valueName: "n"))
    var maxConnections = ServerLimits().maxConnections

    @Option(name: .customLong("max-per-client"), help: ArgumentHelp("Connections open at once from one client address (an IPv6 /64); 0 for no cap.", valueName: "n"))
    var maxPerClient = ServerLimits().maxPerClient

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var retry: RetryOptions

    func execute(console: Console) async throws -> Status {
        let settings = try makeSettings(console: console)
        var campaigns: [(Campaign, SignerMailSettings)] = []
        for path in self.campaigns {
            let options = try connection.makeOptions(campaignPath: path, redirectTo: nil, retry: retry)
            campaigns.append((try CampaignCommands.open(path, console: console, signers: .none), SignerMailSettings(delivery: options.delivery, sendLog: options.logPath)))
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "megaphone")
        let app: WebApp
        do { app = try WebApp(campaigns: campaigns, settings: settings, logger: logger) } catch {
            console.err("\(error.message)\n")
            return Status(error)
        }
        if case .outbox(let outbox) = campaigns[0].1.delivery.target {
            console.err("No --smtp server given: signer mail goes to the outbox Maildir \(outbox) (nothing leaves this machine).\n")
        }
        let queued = app.queuedMailCount()
        if queued > 0 { console.err("\(queued) signer email\(queued == 1 ? "" : "s") left from an earlier run will be sent now.\n") }

        let names = app.campaignNames
        let unsubscribeOnly = app.unsubscribeOnlyNames
        let shown = settings.baseURL
        let listenHost = settings.host
        let adminOn = settings.adminToken != nil
        do {
            try await app.run { boundPort in
                console.out("Listening on http://\(listenHost):\(boundPort)\n")
                for name in names { console.out("  \(name): \(shown)/\(name)\n") }
                for name in unsubscribeOnly { console.out("  \(name): unsubscribe links \(shown)/u/…\n") }
                if adminOn {
                    console.out("  organiser: \(shown)/admin\n")
                } else {
                    console.out("  organiser: \(shown)/admin is off; to turn it on, start the server with a token in the environment,\n"
                                + "    MEGAPHONE_ADMIN_TOKEN=$(openssl rand -hex 24) (with make: MEGAPHONE_ADMIN_TOKEN=… make serve), or --admin-token-file FILE\n")
                }
                console.out("  health check: \(shown)/healthz\n")
            }
        } catch let failure as WebStartError {
            console.err("megaphone: \(failure.message)\n")
            return Status(failure)
        } catch {
            console.err("megaphone: the server stopped: \(error)\n")
            return .failure
        }
        let left = app.queuedMailCount()
        console.err("Stopped. \(left == 0 ? "No signer email is waiting." : "\(left) signer email\(left == 1 ? " waits" : "s wait") in the store for the next start.")\n")
        return .success
    }

    /// The server's settings from the options: where it listens, its public address,
    /// limits, and the organiser's token (from the environment or a file, never the command line).
    private func makeSettings(console: Console) throws -> WebSettings {
        func usage(_ message: String) -> UsageError { UsageError(message: message) }
        var host = "127.0.0.1"
        var port = 8080
        if let listen {
            guard let colon = listen.lastIndex(of: ":"), let number = Int(listen[listen.index(after: colon)...]), (0...65535).contains(number) else {
                throw usage("--listen takes host:port, as in 127.0.0.1:8080 or 0.0.0.0:80")
            }
            host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            port = number
        }
        let baseURL = self.baseURL ?? "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        guard let components = URLComponents(string: baseURL), ["http", "https"].contains(components.scheme ?? ""), components.host?.isEmpty == false,
              components.query == nil, components.fragment == nil else {
            throw usage("--base-url takes the public address of the pages, as in https://sign.example.org")
        }
        var settings = WebSettings(baseURL: baseURL)
        settings.host = host
        settings.port = port
        if let text = perIP {
            guard let limit = PerIPLimit(text) else { throw usage("--per-ip takes a rate such as 120/min or 500/h, or 0 for no limit") }
            settings.perIP = limit
        }
        if let text = adminSession {
            guard let seconds = DurationText.seconds(text), WebSettings.adminSessionRange.contains(seconds) else {
                throw usage("--admin-session takes how long an organiser's login lasts, from 1s to 168h, as in 30m or 12h")
            }
            settings.adminSessionLifetime = seconds
        }
        guard maxConnections > 0 else { throw usage("--max-connections takes a number of connections above 0, such as 10000") }
        guard maxPerClient >= 0 else { throw usage("--max-per-client takes a number of connections, such as 256, or 0 for no cap") }
        var limits = ServerLimits()
        limits.headerTimeout = headerTimeout.duration
        limits.bodyTimeout = bodyTimeout.duration
        limits.idleTimeout = idleTimeout.duration
        limits.maxConnections = maxConnections
        limits.maxPerClient = maxPerClient
        let openFiles = FileDescriptorLimit.raiseToHard()
        settings.limits = limits.capped(byFileDescriptors: openFiles)
        if settings.limits.maxConnections < maxConnections {
            console.err("At most \(settings.limits.maxConnections) connections at once: the open-files limit is \(openFiles) (raise it with `ulimit -n` or systemd's LimitNOFILE=).\n")
        }
        if let file = adminTokenFile {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw CommandFailure(message: "\(file): the --admin-token-file is missing or unreadable", code: .noInput)
            }
            settings.adminToken = String(text.split(separator: "\n").first ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        } else if let token = ProcessInfo.processInfo.environment["MEGAPHONE_ADMIN_TOKEN"], !token.isEmpty {
            settings.adminToken = token
        }
        if let token = settings.adminToken, token.count < 16 {
            throw CommandFailure(message: "the admin token is too short (\(token.count) characters); use at least 16 random characters, e.g. from `openssl rand -hex 24`", code: .config)
        }
        return settings
    }
}
