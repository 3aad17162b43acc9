public import Foundation
import MegaphoneMail

/// A checked signature on its way into the store, with the tokens its email will carry.
public struct SignRequest: Sendable {
    public var campaign: String
    /// The form's fields after checking; `name` and `email` are always there.
    public var fields: [String: String]
    public var targets: [String]
    /// Over the per-IP limit: stored quarantined, looking the same to the signer.
    public var quarantine: Bool
    public var confirmToken: Token
    public var withdrawToken: Token
    /// When the confirmation link stops working.
    public var expires: Date
    public var now: Date
    /// How many "you have already signed" emails one address may be sent.
    public var maxNotices: Int

    public init(campaign: String, fields: [String: String], targets: [String] = [], quarantine: Bool = false,
                confirmToken: Token = .generate(), withdrawToken: Token = .generate(),
                expires: Date, now: Date = Date(), maxNotices: Int = 3) {
        self.campaign = campaign
        self.fields = fields
        self.targets = targets
        self.quarantine = quarantine
        self.confirmToken = confirmToken
        self.withdrawToken = withdrawToken
        self.expires = expires
        self.now = now
        self.maxNotices = maxNotices
    }

    /// The address as duplicates are compared: local part and domain case-folded.
    public var emailKey: String { Self.emailKey(fields["email"] ?? "") }

    /// The one rule for the store's duplicates: an address with its surrounding spaces
    /// gone and every letter lower-cased.
    public static func emailKey(_ address: String) -> String { EmailAddress.key(address) }
}

/// What happened to a signature: the signer sees the same page in every case, and
/// the email (if any) tells the owner of the address what they need to know.
public enum SignDisposition: Sendable, Equatable {
    /// A new signature, waiting for its confirmation.
    case new
    /// The address had signed and not confirmed: a new confirmation email goes out.
    case pendingAgain
    /// The address had signed and confirmed (or is held back): a notice goes out.
    case alreadySigned
    /// As above, but the address has had its share of emails: nothing more is sent.
    case quiet
}

/// An email queued in the same transaction as the change it reports.
public struct OutgoingMail: Sendable, Equatable {
    /// `confirmation` or `notice`.
    public var kind: String
    /// Unique per email; the send log records it.
    public var key: String
    public var envelopeFrom: String
    public var recipients: [String]
    public var bytes: [UInt8]

    public init(kind: String, key: String, envelopeFrom: String, recipients: [String], bytes: [UInt8]) {
        self.kind = kind
        self.key = key
        self.envelopeFrom = envelopeFrom
        self.recipients = recipients
        self.bytes = bytes
    }
}

/// An email waiting in the store's queue.
public struct QueuedMail: Sendable, Equatable {
    public let id: Int64
    public let campaign: String
    public let mail: OutgoingMail
}
