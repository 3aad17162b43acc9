public import Foundation
public import MegaphoneDelivery
public import MegaphoneLog
public import MegaphoneOutbox

/// How `send` delivers a campaign.
public struct SendOptions: Sendable {
    /// Where messages go: the local outbox Maildir (the safe default), or an SMTP server.
    public typealias Target = OutboxTarget

    public var target: Target
    /// The send log (JSON Lines).
    public var logPath: String
    /// Workers, each with its own connection.
    public var connections = 2
    /// How many connections a run may open at once.
    public static let connectionRange = 1...64
    /// Send every message to this one address instead (a test run of a real campaign).
    public var redirectTo: String?
    public var rate: Rate?
    public var perDomain: Rate?
    public var retry = RetryPolicy()
    /// Hold the run until this time (an embargo).
    public var notBefore: Date?
    /// Start no new message after this time.
    public var notAfter: Date?
    /// Send again messages whose earlier attempt has no outcome.
    public var resendUncertain = false
    /// Resume although the rendered messages differ from those in the log.
    public var allowChanged = false
    /// Send even when nobody has signed (a joint letter signed by nobody, or no letter at all).
    public var allowEmpty = false
    /// The spool beside the log: the checked messages' bytes, which the sending pass sends.
    public var spoolPath: String { Spool.path(forLog: logPath) }
    /// Keep the spool when the run ends with nothing left to send.
    public var keepSpool = false
    /// Send to addresses on the campaign's suppression list too.
    public var includeSuppressed = false

    public init(target: Target, logPath: String) {
        self.target = target
        self.logPath = logPath
    }

    /// How the run is described in the log and on screen (no credentials).
    public var transportDescription: String { target.description }

    /// The delivery half, which the server's signer mail shares.
    public var delivery: DeliverySettings {
        var settings = DeliverySettings(target: target)
        settings.redirectTo = redirectTo
        settings.retry = retry
        settings.connections = connections
        return settings
    }
}

/// What a send run did, for the summary and the exit code.
public struct SendSummary: Sendable {
    /// Messages in the campaign.
    public var total = 0
    public var sent = 0
    public var deferred = 0
    public var failed = 0
    /// Handed over with no reply in this run.
    public var uncertain = 0
    /// Skipped: sent by an earlier run.
    public var alreadySent = 0
    /// Skipped: failed permanently in an earlier run.
    public var failedEarlier = 0
    /// Skipped: every recipient is on the suppression list.
    public var suppressed = 0
    /// Skipped: attempted by an earlier run with no outcome (see `--resend-uncertain`).
    public var uncertainEarlier: [String] = []
    /// Not started: the run stopped (signal, fatal error, deadline) first.
    public var notStarted = 0
    /// Why the run stopped early, if it did.
    public var stopReason: StopReason?
    public var elapsed: Double = 0
    /// The spool, when the run kept it (something is left to send, or `--keep-spool`).
    public var keptSpool: String?
    /// Whether the check pass kept an earlier run's spool (every message matched it).
    public var reusedSpool = false

    public enum StopReason: Sendable {
        case signal(Int32)
        case fatal(DeliveryError)
        case deadline
        /// The spool turned out damaged while messages were read from it.
        case spool(SpoolError)
    }
}

/// Why a send did not start: problems in the campaign, a changed campaign, a log problem.
public enum SendRunError: Error, Sendable {
    /// `check` found errors: nothing was sent and nothing connected.
    case campaign([String], missingFile: Bool)
    /// The rendered messages differ from those the log recorded.
    case changed([String])
    case log(LogError)
    case delivery(DeliveryError)
    /// The spool cannot be written, or was damaged before it was sent from.
    case spool(SpoolError)
}

/// What happens during a run, for progress displays.
public enum SendEvent: Sendable {
    case waiting(until: Date)
    case started(toSend: Int, summary: SendSummary)
    case progress(SendSummary)
    case message(String)
}
