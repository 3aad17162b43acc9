import Foundation
public import MegaphoneLog
import MegaphoneMail
import MegaphoneDigest

/// What one message in the bounce mailbox is: a delivery report, a bounce in plain
/// text, an auto-reply, or a person's reply. Reading it needs no campaign; matching
/// it to a letter is `BounceMatcher`'s job.
public struct ReturnedMail: Sendable {
    public enum Kind: Sendable, Equatable {
        /// An RFC 3464 delivery status notification.
        case report
        /// A bounce in its own words (older Exchange, qmail): best effort.
        case plainBounce
        /// An out-of-office or other automatic answer (RFC 3834).
        case autoReply
        /// A person's answer to the bounce address.
        case reply
    }

    /// One recipient a report speaks of (RFC 3464 §2.3).
    public struct Recipient: Sendable, Equatable {
        public var finalRecipient: String?
        public var action: String?
        public var status: String?
        public var diagnostic: String?
        public var remoteMTA: String?

        /// Hard, soft or blocked (RFC 3463 classes), as the issue of bounces defines them.
        public var bounceKind: SendRecord.Bounce.Kind {
            if action?.lowercased() == "delayed" { return .soft }
            guard let status else { return .soft }
            if status.hasPrefix("4.") || status == "5.2.2" { return .soft }
            if status.hasPrefix("5.7.") { return .blocked }
            if status.hasPrefix("5.") { return .hard }
            return .soft
        }

        /// A failed or delayed recipient: something to record (not `delivered`, `relayed`, `expanded`).
        public var isFailure: Bool {
            guard let action = action?.lowercased() else { return status?.hasPrefix("2.") != true }
            return action == "failed" || action == "delayed"
        }
    }

    public let kind: Kind
    public let mail: ParsedMail
    /// The returned mail's Message-ID (angle brackets removed), or a hash of its bytes when it has none.
    public let id: String
    public let from: String
    public let subject: String
    /// The recipients a report (or a plain bounce) names.
    public let recipients: [Recipient]
    /// The headers of the original message, when the report quotes them.
    public let original: ParsedMail?
    /// The whole text, for finding a VERP token or Message-ID wherever it stands.
    public let searchText: String

    /// A returned mail's name for "already read": its Message-ID (angle brackets
    /// removed), or a digest of its bytes when it has none. Reads the header only.
    public static func id(of bytes: [UInt8]) -> String {
        let head = ParsedMail.headers(ParsedMail.split(bytes).0)
        if let value = head.first(where: { $0.name == "message-id" })?.value {
            let messageID = String(value.drop(while: { $0 == "<" || $0 == " " }).reversed().drop(while: { $0 == ">" || $0 == " " }).reversed())
            if !messageID.isEmpty { return messageID }
        }
        return "sha256:" + CryptoText.sha256(bytes)
    }

    public init(_ bytes: [UInt8]) {
        let mail = ParsedMail(bytes)
        self.mail = mail
        id = Self.id(of: bytes)
        from = mail.header("from") ?? ""
        subject = mail.subject
        // Decoded parts joined, so a token in a base64 or quoted-printable part is found too.
        searchText = ([String(decoding: ParsedMail.split(bytes).0, as: UTF8.self)] + mail.allParts.map(\.text)).joined(separator: "\n")
        let report = mail.allParts.first { $0.contentType == "message/delivery-status" || $0.contentType == "message/global-delivery-status" }
        original = mail.allParts.dropFirst().first { ["message/rfc822", "text/rfc822-headers", "message/global", "message/global-headers"].contains($0.contentType) }
            .map { ParsedMail($0.body) }
        if mail.contentType == "multipart/report", let report {
            kind = .report
            recipients = Self.reportRecipients(report.body)
        } else if Self.comesFromAMailSystem(mail) || (!Self.isAutoReply(mail) && Self.hasABounceSubject(mail)) {
            // A mail system's own notice first: Exim's plain-text bounces carry
            // `Auto-Submitted: auto-replied` too, and are bounces, not replies.
            kind = .plainBounce
            let text = mail.allParts.filter { $0.contentType.hasPrefix("text/") || $0.parts.isEmpty }.map(\.text).joined(separator: "\n")
            var found = Self.plainRecipients(text)
            // Exim names the failed addresses in a header of its own.
            if found.isEmpty, let failed = mail.header("x-failed-recipients") {
                found = failed.split(separator: ",").map {
                    Recipient(finalRecipient: $0.trimmingCharacters(in: .whitespaces), action: "failed", status: Self.statusCode(in: text))
                }
            }
            recipients = found
        } else if Self.isAutoReply(mail) {
            kind = .autoReply
            recipients = []
        } else {
            kind = .reply
            recipients = []
        }
    }

    /// The per-recipient field blocks of a `message/delivery-status` body.
    static func reportRecipients(_ body: [UInt8]) -> [Recipient] {
        var recipients: [Recipient] = []
        for block in ParsedMail.blocks(body) {
            let fields = ParsedMail.headers(block)
            func value(_ name: String, stripType: Bool = true) -> String? {
                guard let raw = fields.first(where: { $0.name == name })?.value else { return nil }
                // `rfc822; someone@example.org`, `smtp; 550 5.1.1 …`, `dns; mx.example.org`
                if stripType, let semicolon = raw.firstIndex(of: ";") {
                    return String(raw[raw.index(after: semicolon)...].drop(while: { $0 == " " || $0 == "\t" }))
                }
                return raw
            }
            guard value("final-recipient") != nil || value("original-recipient") != nil || value("action") != nil else { continue }
            var recipient = Recipient()
            recipient.finalRecipient = value("final-recipient") ?? value("original-recipient")
            recipient.action = value("action", stripType: false)?.lowercased()
            recipient.status = value("status", stripType: false).flatMap { Self.statusCode(in: $0) }
            recipient.diagnostic = value("diagnostic-code")
            recipient.remoteMTA = value("remote-mta")
            recipients.append(recipient)
        }
        return recipients
    }

    /// `5.1.1` in text (RFC 3463: class.subject.detail).
    static func statusCode(in text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let previous = index > 0 ? scalars[index - 1] : " "
            if "245".unicodeScalars.contains(scalars[index]), index + 1 < scalars.count, scalars[index + 1] == ".",
               !CharacterSet.alphanumerics.contains(previous), previous != "." {
                var end = index + 2
                var dots = 1
                var digitsInPart = 0
                while end < scalars.count {
                    if CharacterSet.decimalDigits.contains(scalars[end]), digitsInPart < 3 { digitsInPart += 1 }
                    else if scalars[end] == ".", dots == 1, digitsInPart > 0 { dots += 1; digitsInPart = 0 }
                    else { break }
                    end += 1
                }
                if dots == 2, digitsInPart > 0, end == scalars.count || !CharacterSet.alphanumerics.contains(scalars[end]) {
                    return String(String.UnicodeScalarView(scalars[index..<end]))
                }
            }
            index += 1
        }
        return nil
    }

    static func isAutoReply(_ mail: ParsedMail) -> Bool {
        if let auto = mail.header("auto-submitted")?.lowercased(), !auto.hasPrefix("no") { return true }
        if mail.header("x-autoreply") != nil || mail.header("x-autorespond") != nil || mail.header("x-autoresponder") != nil { return true }
        if let precedence = mail.header("precedence")?.lowercased(), precedence.contains("auto_reply") { return true }
        let subject = mail.subject.lowercased()
        return ["out of office", "automatic reply", "auto:", "autoreply", "auto-reply", "auto reply", "away from the office",
                "abwesenheitsnotiz", "réponse automatique", "absence"].contains { subject.contains($0) }
    }

    /// From a mail system: MAILER-DAEMON, postmaster, "Mail Delivery …", or the null sender.
    static func comesFromAMailSystem(_ mail: ParsedMail) -> Bool {
        let from = (mail.header("from") ?? "").lowercased()
        if from.contains("mailer-daemon") || from.contains("postmaster@") || from.contains("mail delivery") { return true }
        if let returnPath = mail.header("return-path"), returnPath.replacingOccurrences(of: " ", with: "") == "<>" { return true }
        return false
    }

    static func hasABounceSubject(_ mail: ParsedMail) -> Bool {
        let subject = mail.subject.lowercased()
        return ["undeliverable", "undelivered", "delivery status notification", "failure notice", "returned mail",
                "delivery failure", "mail delivery failed", "delivery has failed", "could not be delivered", "unzustellbar",
                "non remis"].contains { subject.contains($0) }
    }

    /// Recipients and codes from a bounce written for people: qmail's `<address>:`
    /// paragraphs, Exchange's "Your message to … couldn't be delivered", a status or
    /// reply code anywhere in the text.
    static func plainRecipients(_ text: String) -> [Recipient] {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        var recipients: [Recipient] = []
        var current: Recipient? = nil
        func finish() { if let current { recipients.append(current) } }
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            // qmail: "<someone@example.org>:" starts one recipient's paragraph.
            if trimmed.hasPrefix("<"), trimmed.hasSuffix(">:"), trimmed.contains("@") {
                finish()
                current = Recipient(finalRecipient: String(trimmed.dropFirst().dropLast(2)), action: "failed")
                continue
            }
            if current == nil, let address = Self.firstAddress(in: trimmed),
               ["delivered to", "delivery to", "message to", "recipient", "following address", "could not be delivered"].contains(where: { trimmed.lowercased().contains($0) }) {
                current = Recipient(finalRecipient: address, action: "failed")
            }
            guard current != nil else { continue }
            if current?.status == nil, let status = statusCode(in: trimmed) {
                current?.status = status
                if current?.diagnostic == nil { current?.diagnostic = trimmed }
            }
            if current?.diagnostic == nil, let code = Self.replyCode(in: trimmed) {
                current?.diagnostic = trimmed
                if current?.status == nil { current?.status = code.hasPrefix("5") ? "5.0.0" : "4.0.0" }
            }
        }
        finish()
        return recipients
    }

    private static func replyCode(in text: String) -> String? {
        for word in text.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "(" || $0 == ":" }) where word.count == 3 {
            if let number = Int(word), (400...599).contains(number) { return String(word) }
        }
        return nil
    }

    static func firstAddress(in text: String) -> String? {
        for word in text.split(whereSeparator: { " \t<>,;:\"'()[]".contains($0) }) where word.contains("@") {
            let parts = word.split(separator: "@")
            if parts.count == 2, parts[1].contains(".") { return String(word).trimmingCharacters(in: CharacterSet(charactersIn: ".")) }
        }
        return nil
    }
}
