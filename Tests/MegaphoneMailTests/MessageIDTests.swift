import MegaphoneMail
import Testing

/// Message-IDs derived with SHA-256 (swift-crypto, through MegaphoneDigest) stay as
/// the hand-written SHA-256 gave them.
@Suite struct MessageIDTests {
    @Test func messageIDsStayAsBefore() {
        // Computed outside Swift (Python's hashlib), as the hand-written SHA-256 gave it: a resend after an upgrade keeps its Message-ID.
        #expect(Message.messageID(campaign: "embassy-protest", key: "consulate@example.org", domain: "example.org")
            == "megaphone.8fade1b3451483f8dae94715b32d2630@example.org")
    }
}
