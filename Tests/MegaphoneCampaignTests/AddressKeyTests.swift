import Foundation
import MegaphoneCampaign
import MegaphoneMail
import MegaphoneSignatures
import MegaphoneSuppression
import MegaphoneTestSupport
import Testing

/// One address key: the signature store (one signature per address), a campaign's
/// duplicate recipients and signers (`comparisonKey`), and the suppression list
/// agree on which spellings are one person's address.
@Suite struct AddressKeyTests {
    let sameMailbox = ["Ana.Lopez@Example.ORG", " ana.lopez@example.org ", "ANA.LOPEZ@EXAMPLE.ORG", "ana.lopez@example.org"]
    let others = ["ana.lopez2@example.org", "ana.lopez@example.com", "analopez@example.org"]

    @Test func theStoreDuplicatesAndSuppressionAgree() throws {
        let stored = Set(sameMailbox.map(SignRequest.emailKey))
        #expect(stored.count == 1)
        let compared = Set(try sameMailbox.map { try EmailAddress($0.trimmingCharacters(in: .whitespaces)).key })
        #expect(compared == stored)

        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("campaign.suppressed.txt").path
        try SuppressionList.add([(sameMailbox[0], "unsubscribed")], to: path)
        // A second spelling of the same address adds nothing.
        #expect(try SuppressionList.add([(sameMailbox[2], "bounced")], to: path).isEmpty)
        let list = try SuppressionList(path: path)
        #expect(list.count == 1)
        for spelling in sameMailbox {
            #expect(list.reason(for: spelling) == "unsubscribed", "\(spelling)")
            #expect(list.entries.keys.contains(SignRequest.emailKey(spelling)))
        }
        for other in others {
            #expect(list.reason(for: other) == nil)
            #expect(!stored.contains(SignRequest.emailKey(other)))
            #expect(!compared.contains(try EmailAddress(other).key))
        }
    }

    /// A campaign's recipients: two spellings of one address are one recipient, sent one message.
    @Test func aRecipientListedUnderTwoSpellingsGetsOneMessage() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("letter.txt", "Subject: Hello\n\nDear {{recipient.name}},\n")
        try folder.write("recipients.csv", "name,email\nAna,\(sameMailbox[0])\nAna again,\(sameMailbox[3])\nOther,\(others[0])\n")
        try folder.write("campaign.json", #"{"name": "c", "sender": {"name": "C", "address": "c@example.org"}, "template": "letter.txt", "recipients": "recipients.csv", "mode": "each-recipient"}"#)
        let (opened, problems) = Campaign.open(folder.url.appendingPathComponent("campaign.json").path)
        let campaign = try #require(opened, "\(problems)")
        let stream = try campaign.messages()
        var composed = 0
        var warnings: [String] = []
        while let outcome = stream.next() {
            switch outcome {
            case .composed: composed += 1
            case .problems(let found): warnings += found.map(\.description)
            }
        }
        #expect(composed == 2)
        #expect(warnings.contains { $0.contains("is listed again (first on line 2)") }, "\(warnings)")
    }
}
