public import MegaphoneOutbox
import MegaphoneFiles

/// How the server delivers one campaign's signer mail: the delivery settings
/// `send` uses, and the campaign's own send log (a letter page's letters are
/// journaled there, so neither `send` nor `serve` sends a letter the other sent).
public struct SignerMailSettings: Sendable {
    public var delivery: DeliverySettings
    /// The campaign's send log; the confirmation mails' log sits beside it.
    public var sendLog: String

    public init(delivery: DeliverySettings, sendLog: String) {
        self.delivery = delivery
        self.sendLog = sendLog
    }

    /// The log of confirmation and notice emails: `NAME.signer-mail.sendlog.jsonl`.
    public var mailLog: String {
        CampaignFiles.signerMailLog(forLog: sendLog)
    }
}
