public import MegaphoneDelivery

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
