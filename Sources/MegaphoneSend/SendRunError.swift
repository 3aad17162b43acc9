public import MegaphoneDelivery
public import MegaphoneLog

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
