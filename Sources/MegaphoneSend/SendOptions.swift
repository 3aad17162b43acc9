public import Foundation
public import MegaphoneDelivery
import MegaphoneLog
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
