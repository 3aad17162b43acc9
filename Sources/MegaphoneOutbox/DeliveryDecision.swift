public import MegaphoneLog

/// The one rule for whether a message is delivered (again), from what its journal
/// says: a message sent (or sent and bounced) is never sent again, one refused
/// permanently is not retried, and one handed over with no reply is left alone
/// unless repeating it is harmless or the user asked (`--resend-uncertain`).
/// Deferred, skipped and suppressed messages are delivered (suppression is looked
/// at again on the way out).
public enum DeliveryDecision: Sendable, Equatable {
    /// Deliver it; `attempts` is how many tries the journal holds.
    case send(attempts: Int)
    case alreadySent
    case failedEarlier
    case uncertainEarlier

    public init(_ entry: LogHistory.Entry?, resendUncertain: Bool) {
        guard let entry else {
            self = .send(attempts: 0)
            return
        }
        switch entry.state {
        case .sent, .bounced: self = .alreadySent
        case .failed: self = .failedEarlier
        case .attempt, .uncertain: self = resendUncertain ? .send(attempts: entry.attempts) : .uncertainEarlier
        case .deferred, .skipped, .run, .suppressed: self = .send(attempts: entry.attempts)
        }
    }

    /// Nothing more is to be done with the message.
    public var isSettled: Bool {
        if case .send = self { false } else { true }
    }
}
