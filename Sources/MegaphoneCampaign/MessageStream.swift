import Foundation
import MegaphoneData
import MegaphoneMail
import MegaphoneTemplate
import MegaphoneValue

/// Produces a campaign's messages in order — recipient rows in file order, and
/// within each recipient the signers in file order — reading one row at a time.
public final class MessageStream {
    let campaign: Campaign
    let reader: CSVReader
    let limit: Int?
    private var number = 0

    /// The number of the message last produced (or attempted).
    public var lastNumber: Int { number }
    private var seen: [Fingerprint: Int] = [:]
    private var current: Recipient? = nil
    private var signerIndex = 0

    struct Recipient {
        let line: Int
        let fields: [String: String]
        let mailbox: Mailbox
        let key: String
    }

    init(campaign: Campaign, reader: CSVReader, limit: Int?) {
        self.campaign = campaign
        self.reader = reader
        self.limit = limit
    }

    private var path: String { campaign.manifest.recipients }

    /// The next message or problem; nil when the campaign (or the limit) is done.
    public func next() -> MessageOutcome? {
        while true {
            if let recipient = current, campaign.manifest.mode == .eachSigner {
                if signerIndex < campaign.signers.count {
                    let signer = campaign.signers[signerIndex]
                    signerIndex += 1
                    guard advanceNumber() else { return nil }
                    return compose(recipient, signer: signer, key: recipient.key + " " + signer.key)
                }
                current = nil
            }
            let record: CSVRecord
            do {
                guard let next = try reader.next() else { return nil }
                record = next
            } catch {
                return .problems([CampaignDiagnostic(error)])
            }
            let fields = reader.object(record)
            let email = (fields["email"] ?? "").trimmingCharacters(in: .whitespaces)
            guard !email.isEmpty else {
                return .problems([CampaignDiagnostic(path: path, line: record.line, columnName: "email", message: "the recipient's email is empty; fill it in or delete the row")])
            }
            let mailbox: Mailbox
            do {
                mailbox = try Mailbox(displayName: (fields["name"] ?? "").trimmingCharacters(in: .whitespaces),
                                      address: EmailAddress(email, allowUTF8: campaign.manifest.smtputf8))
            } catch {
                return .problems([CampaignDiagnostic(path: path, line: record.line, columnName: error.text == email ? "email" : "name",
                                                     message: error.description)])
            }
            let key = mailbox.address.comparisonKey
            let fingerprint = Fingerprint(key)
            if let first = seen[fingerprint] {
                return .problems([CampaignDiagnostic(.warning, path: path, line: record.line,
                                                     message: "\(mailbox.address) is listed again (first on line \(first)); it is sent one message")])
            }
            seen[fingerprint] = record.line
            let recipient = Recipient(line: record.line, fields: fields, mailbox: mailbox, key: key)
            if campaign.manifest.mode == .eachSigner {
                current = recipient
                signerIndex = 0
                continue
            }
            guard advanceNumber() else { return nil }
            return compose(recipient, signer: nil, key: key)
        }
    }

    private func advanceNumber() -> Bool {
        if let limit, number >= limit { return false }
        number += 1
        return true
    }

    private func compose(_ recipient: Recipient, signer: Campaign.SignerRow?, key: String) -> MessageOutcome {
        MessageComposer(campaign: campaign, recipient: recipient, signer: signer, number: number, key: key).compose()
    }
}

/// A 128-bit fingerprint of a recipient key (two FNV-1a hashes), so remembering
/// which recipients were seen costs 16 bytes each, not a copy of every address.
struct Fingerprint: Hashable {
    let high: UInt64
    let low: UInt64

    init(_ text: String) {
        var a: UInt64 = 0xcbf29ce484222325
        var b: UInt64 = 0x84222325cbf29ce4
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x100000001b3
            b = (b ^ UInt64(byte)) &* 0x100000001b3 &+ 0x9E3779B97F4A7C15
        }
        high = a
        low = b
    }
}
