/// One message in the spool: the exact bytes `check` validated, with what the
/// sending pass needs to hand them over and log them.
public struct SpoolEntry: Sendable, Equatable {
    /// The message's place in the campaign, from 1.
    public let number: Int
    /// What identifies it across runs (the send log's `key`).
    public let key: String
    public let messageID: String
    /// MAIL FROM and RCPT TO, as checked (before any `--redirect-to`).
    public let envelopeFrom: String
    public let recipients: [String]
    /// The send log's fingerprint of `bytes`: SHA-256 of the message after its Date header.
    public let hash: String
    /// The RFC 5322 bytes, CRLF line endings.
    public let bytes: [UInt8]

    public init(number: Int, key: String, messageID: String, envelopeFrom: String, recipients: [String], hash: String, bytes: [UInt8]) {
        self.number = number
        self.key = key
        self.messageID = messageID
        self.envelopeFrom = envelopeFrom
        self.recipients = recipients
        self.hash = hash
        self.bytes = bytes
    }

    /// The same message for other envelope recipients.
    func withRecipients(_ recipients: [String]) -> SpoolEntry {
        SpoolEntry(number: number, key: key, messageID: messageID, envelopeFrom: envelopeFrom, recipients: recipients, hash: hash, bytes: bytes)
    }

    /// The entry's header line without its bytes: tab-separated, `%`-escaped.
    var headerLine: [UInt8] {
        let fields = [String(number), String(bytes.count), hash, key, messageID, envelopeFrom] + recipients
        return Array(fields.map(Self.escape).joined(separator: "\t").utf8) + [0x0A]
    }

    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x25 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        return text.replacing("%", with: "%25").replacing("\t", with: "%09").replacing("\n", with: "%0A").replacing("\r", with: "%0D")
    }

    static func unescape(_ text: Substring) -> String {
        guard text.contains("%") else { return String(text) }
        return String(text).replacing("%09", with: "\t").replacing("%0A", with: "\n").replacing("%0D", with: "\r").replacing("%25", with: "%")
    }
}
