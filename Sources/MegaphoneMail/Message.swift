public import Foundation
import MegaphoneDigest

/// One email as Megaphone builds it: headers, bodies, attachments, and the SMTP
/// envelope kept apart from the headers (Bcc lives only in the envelope).
public struct Message: Sendable {
    /// An extra header such as `X-Campaign`; the value is unstructured text.
    public struct Header: Sendable, Equatable {
        public let name: String
        public let value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var from: Mailbox
    public var replyTo: [Mailbox] = []
    public var to: [Mailbox]
    public var cc: [Mailbox] = []
    /// Blind copies: on the envelope, never in the written message.
    public var bcc: [Mailbox] = []
    public var subject: String
    public var date: Date
    /// The Message-ID without angle brackets, such as `abc@example.org`.
    public var messageID: String
    public var extraHeaders: [Header] = []
    /// RFC 2369 `List-Unsubscribe` links (`https://…`, `mailto:…`), written in angle
    /// brackets as they are (never encoded); with an https link, RFC 8058's
    /// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` is written too.
    public var listUnsubscribe: [String] = []
    /// The plain-text body.
    public var text: String
    /// An HTML twin of the body; the message is then multipart/alternative.
    public var html: String?
    public var attachments: [Attachment] = []
    /// The envelope sender (MAIL FROM), which receives bounces.
    public var envelopeFrom: EmailAddress

    public init(from: Mailbox, to: [Mailbox], subject: String, date: Date, messageID: String,
                text: String, envelopeFrom: EmailAddress) {
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.text = text
        self.envelopeFrom = envelopeFrom
    }

    /// Every To, Cc and Bcc address once (RCPT TO), in that order.
    public var envelopeRecipients: [EmailAddress] {
        var seen: Set<String> = []
        var result: [EmailAddress] = []
        for mailbox in to + cc + bcc where seen.insert(mailbox.address.key).inserted {
            result.append(mailbox.address)
        }
        return result
    }

    /// A written message's bytes after its leading Date header: what stays the same
    /// when the same message is composed again on another day (its fingerprint, and
    /// the outbox's content-derived file names, are taken over this).
    public static func bytesAfterDate(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        var start = 0
        if bytes.starts(with: Array("Date:".utf8)) {
            while start + 1 < bytes.count, !(bytes[start] == 13 && bytes[start + 1] == 10) { start += 1 }
            start += 2
        }
        return bytes[min(start, bytes.count)...]
    }

    /// A deterministic Message-ID for a campaign and a message key: the same message
    /// gets the same id on every run, so a resend can be recognised.
    public static func messageID(campaign: String, key: String, domain: String) -> String {
        let digest = CryptoText.sha256(pieces: [Array(campaign.utf8), [0], Array(key.utf8)])
        return "megaphone.\(CryptoText.hex(digest.prefix(16)))@\(domain)"
    }
}

/// Why a message cannot be written.
public struct MessageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The header concerned, such as `Subject`.
    public let header: String
    public let reason: String

    public init(header: String, reason: String) {
        self.header = header
        self.reason = reason
    }

    public var description: String { "the \(header) header \(reason)" }
}
