public import MegaphoneMail

/// One message of a campaign, ready to write or send.
public struct ComposedMessage: Sendable {
    /// Its place in the campaign, from 1; the same message always has the same number.
    public let number: Int
    /// What identifies it across runs: the recipient's address (and the signer's, in each-signer mode).
    public let key: String
    /// A file-name-safe form of the recipient's address.
    public let slug: String
    public let message: Message
    /// The RFC 5322 bytes, CRLF line endings.
    public let bytes: [UInt8]
    /// The recipients file and the line of this message's row.
    public let recipientsPath: String
    public let recipientLine: Int
    /// Problems that do not stop the message (a From outside the sender's domain).
    public let warnings: [CampaignDiagnostic]
}

/// What composing the next row gave: a message, or the problems that stopped it.
public enum MessageOutcome: Sendable {
    case composed(ComposedMessage)
    /// Errors (the row cannot become a message) or a warning alone (a duplicate row, skipped).
    case problems([CampaignDiagnostic])
}
