public import MegaphoneLog
import MegaphoneMail
import MegaphoneDigest

/// One message as a courier hands it over: the envelope, the bytes, and the record
/// its journal lines start from (campaign, key, number, Message-ID, recipients,
/// fingerprint, VERP token, note).
public struct Parcel: Sendable {
    public var record: SendRecord
    public var from: String
    public var recipients: [String]
    public var bytes: [UInt8]

    public init(record: SendRecord, from: String, recipients: [String], bytes: [UInt8]) {
        var record = record
        record.recipients = recipients
        self.record = record
        self.from = from
        self.recipients = recipients
        self.bytes = bytes
    }

    public var key: String { record.key ?? "" }
}

extension Parcel {
    /// A message's content fingerprint: the SHA-256 of its bytes after the Date
    /// header, so the same message rendered on another day has the same one.
    public static func fingerprint(_ bytes: [UInt8]) -> String {
        CryptoText.sha256(Message.bytesAfterDate(bytes))
    }
}
