public import Foundation
import MegaphoneDigest

/// Writes a `Message` as RFC 5322 + MIME bytes: CRLF line endings only, headers
/// folded at 78 characters, RFC 2047 encoded words, quoted-printable or 7bit text,
/// base64 attachments with RFC 2231 file names. Leading dots are not escaped: SMTP
/// clients (libcurl) do that on the wire.
public enum MessageWriter {
    /// The message's bytes. Throws when a header value holds CR, LF or NUL (header
    /// injection) or an extra header's name is not a valid field name.
    public static func write(_ message: Message) throws(MessageError) -> [UInt8] {
        var head = ""
        try check("Subject", message.subject)
        head += "Date: " + rfc5322Date(message.date) + "\r\n"
        head += HeaderFolder.addresses(name: "From", [message.from])
        if !message.replyTo.isEmpty { head += HeaderFolder.addresses(name: "Reply-To", message.replyTo) }
        if !message.to.isEmpty { head += HeaderFolder.addresses(name: "To", message.to) }
        if !message.cc.isEmpty { head += HeaderFolder.addresses(name: "Cc", message.cc) }
        head += HeaderFolder.unstructured(name: "Subject", value: message.subject.trimmingWhitespace)
        try check("Message-ID", message.messageID)
        head += "Message-ID: <\(message.messageID)>\r\n"
        head += "MIME-Version: 1.0\r\n"
        for header in message.extraHeaders {
            guard !header.name.isEmpty, header.name.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 && $0 != ":" }) else {
                throw MessageError(header: header.name, reason: "has a name that is not a valid header name")
            }
            try check(header.name, header.value)
            head += HeaderFolder.unstructured(name: header.name, value: header.value.trimmingWhitespace)
        }
        if !message.listUnsubscribe.isEmpty {
            for link in message.listUnsubscribe {
                try check("List-Unsubscribe", link)
                guard link.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0 != "<" && $0 != ">" }) else {
                    throw MessageError(header: "List-Unsubscribe", reason: "has a link with spaces, angle brackets or non-ASCII characters")
                }
            }
            // One link a line: a URL is never broken or encoded (RFC 2369 §2).
            head += "List-Unsubscribe: " + message.listUnsubscribe.map { "<\($0)>" }.joined(separator: ",\r\n ") + "\r\n"
            if message.listUnsubscribe.contains(where: { $0.lowercased().hasPrefix("https://") || $0.lowercased().hasPrefix("http://") }) {
                head += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            }
        }
        var output = Array(head.utf8)
        writeBody(message, into: &output)
        return output
    }

    private static func check(_ header: String, _ value: String) throws(MessageError) {
        if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw MessageError(header: header, reason: "contains a line break or NUL character, which would inject headers")
        }
    }

    private static func boundary(_ message: Message, _ level: Int) -> String {
        "=_megaphone_" + String(CryptoText.sha256(Array("\(message.messageID)/\(level)".utf8)).prefix(24))
    }

    private static func writeBody(_ message: Message, into output: inout [UInt8]) {
        func textPart(_ text: String, subtype: String) -> [UInt8] {
            let (bytes, encoding) = QuotedPrintable.encodeBody(text)
            var part = Array("Content-Type: text/\(subtype); charset=utf-8\r\nContent-Transfer-Encoding: \(encoding.rawValue)\r\n\r\n".utf8)
            part += bytes
            return part
        }
        var body: [UInt8]
        if let html = message.html {
            let mark = boundary(message, 1)
            body = Array("Content-Type: multipart/alternative;\r\n boundary=\"\(mark)\"\r\n\r\n".utf8)
            for part in [textPart(message.text, subtype: "plain"), textPart(html, subtype: "html")] {
                body += Array("--\(mark)\r\n".utf8) + part + [13, 10]
            }
            body += Array("--\(mark)--\r\n".utf8)
        } else {
            body = textPart(message.text, subtype: "plain")
            if body.last != 10 { body += [13, 10] }
        }
        guard !message.attachments.isEmpty else {
            output += body
            return
        }
        let mark = boundary(message, 0)
        output += Array("Content-Type: multipart/mixed;\r\n boundary=\"\(mark)\"\r\n\r\n--\(mark)\r\n".utf8)
        output += body
        if output.last != 10 { output += [13, 10] }
        for attachment in message.attachments {
            output += Array("--\(mark)\r\n".utf8)
            output += Array(attachmentHeaders(attachment).utf8)
            let encoded = Data(attachment.data).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
            output += Array(encoded.utf8)
            output += [13, 10]
        }
        output += Array("--\(mark)--\r\n".utf8)
    }

    private static func attachmentHeaders(_ attachment: Attachment) -> String {
        var contentType = HeaderFolder(name: "Content-Type")
        contentType.append(attachment.contentType + ";")
        let nameParameters = parameter("name", attachment.filename)
        for (index, token) in nameParameters.enumerated() {
            contentType.append(token + (index < nameParameters.count - 1 ? ";" : ""))
        }
        var disposition = HeaderFolder(name: "Content-Disposition")
        disposition.append("attachment;")
        let fileParameters = parameter("filename", attachment.filename)
        for (index, token) in fileParameters.enumerated() {
            disposition.append(token + (index < fileParameters.count - 1 ? ";" : ""))
        }
        return contentType.finish() + disposition.finish() + "Content-Transfer-Encoding: base64\r\n\r\n"
    }

    /// A MIME parameter: quoted when plain ASCII and short, else RFC 2231
    /// (`name*=utf-8''%E2%80%A6`), split into numbered sections when long.
    static func parameter(_ name: String, _ value: String) -> [String] {
        let plain = value.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" }
        if plain, value.utf8.count <= 60 { return ["\(name)=\"\(value)\""] }
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&+^`{}|#".utf8)
        // One percent-encoded piece per Unicode scalar, so that no section splits a
        // character's UTF-8 bytes (decoders decode each section on its own).
        var pieces: [String] = []
        for scalar in value.unicodeScalars {
            var piece = ""
            for byte in String(scalar).utf8 {
                piece += unreserved.contains(byte) ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
            }
            pieces.append(piece)
        }
        var sections: [String] = []
        var current = ""
        for piece in pieces {
            if current.utf8.count + piece.utf8.count > 50 {
                sections.append(current)
                current = ""
            }
            current += piece
        }
        sections.append(current)
        if sections.count == 1 { return ["\(name)*=utf-8''\(sections[0])"] }
        return sections.enumerated().map { index, section in
            index == 0 ? "\(name)*0*=utf-8''\(section)" : "\(name)*\(index)*=\(section)"
        }
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Fri, 27 Nov 2026 14:40:00 +0000` (RFC 5322 §3.3), always in UTC. A campaign's
    /// messages share one date, so the last one formatted is kept.
    public static func rfc5322Date(_ date: Date) -> String {
        if let cached = lastDate.withLock({ $0 }), cached.date == date { return cached.text }
        let text = formatDate(date)
        lastDate.withLock { $0 = (date, text) }
        return text
    }

    private static let lastDate = LockedValue<(date: Date, text: String)?>(nil)

    private static func formatDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(weekdays[(parts.weekday ?? 1) - 1]), \(parts.day ?? 1) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}

/// A value shared across threads behind a lock.
final class LockedValue<Wrapped>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Wrapped

    init(_ value: Wrapped) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Wrapped) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
