public import Foundation
public import MegaphoneValue

/// One line of the send log (JSON Lines).
public struct SendRecord: Sendable, Equatable {
    /// What the line records.
    public enum State: String, Sendable, CaseIterable {
        /// A run started (its transport and options; no message).
        case run
        /// Written, and synced, before a message is handed to the server.
        case attempt
        /// The server accepted the message (250 to the final dot).
        case sent
        /// A temporary failure: a later run tries again.
        case deferred
        /// A permanent failure (5xx): not tried again.
        case failed
        /// The message was not started (a deadline passed).
        case skipped
        /// The whole message went out but no reply came: the server may have it.
        case uncertain
        /// Not sent: every recipient is on the campaign's suppression list.
        case suppressed
        /// Sent, and later returned: a delivery status notification (or a bounce
        /// that quotes the message) came back, read by `megaphone bounces`.
        case bounced
    }

    /// What a returned message said (RFC 3464 fields), on a `bounced` record.
    public struct Bounce: Sendable, Equatable {
        /// How `megaphone bounces` classes it.
        public enum Kind: String, Sendable, CaseIterable {
            /// 5.x.x but 5.2.2 and 5.7.x: the address is bad; it goes on the suppression list.
            case hard
            /// 4.x.x, `delayed`, or 5.2.2 (mailbox full): it may arrive later or on a resend.
            case soft
            /// 5.7.x: refused by policy (spam filter, DMARC, block list), not a bad address.
            case blocked
        }

        public var kind: Kind
        public var action: String?
        public var status: String?
        public var diagnostic: String?
        public var remoteMTA: String?
        public var finalRecipient: String?
        /// The returned mail's own Message-ID.
        public var source: String?

        public init(kind: Kind, action: String? = nil, status: String? = nil, diagnostic: String? = nil,
                    remoteMTA: String? = nil, finalRecipient: String? = nil, source: String? = nil) {
            self.kind = kind
            self.action = action
            self.status = status
            self.diagnostic = diagnostic
            self.remoteMTA = remoteMTA
            self.finalRecipient = finalRecipient
            self.source = source
        }

        /// One line for people: `hard 5.1.1: 550 5.1.1 <x@example.org>: Recipient address rejected`.
        public var summary: String {
            var text = kind.rawValue
            if let status { text += " " + status }
            if let diagnostic { text += ": " + diagnostic } else if let action { text += " (" + action + ")" }
            return text
        }
    }

    public var time: Date
    public var campaign: String
    public var state: State
    public var key: String?
    public var number: Int?
    public var messageID: String?
    public var recipients: [String] = []
    public var attempt: Int?
    public var replyCode: Int?
    public var enhancedCode: String?
    public var replyText: String?
    /// SHA-256 of the rendered message (without its Date header).
    public var hash: String?
    /// Free text: why a message was deferred, which recipients were refused, a run's options.
    public var note: String?
    /// The VERP token in the message's envelope sender (`bounces+TOKEN@…`), when the campaign has a `bounce` address.
    public var verp: String?
    /// What came back, on a `bounced` record.
    public var bounce: Bounce?

    public init(time: Date = Date(), campaign: String, state: State, key: String? = nil, number: Int? = nil,
                messageID: String? = nil, recipients: [String] = [], attempt: Int? = nil, hash: String? = nil, note: String? = nil) {
        self.time = time
        self.campaign = campaign
        self.state = state
        self.key = key
        self.number = number
        self.messageID = messageID
        self.recipients = recipients
        self.attempt = attempt
        self.hash = hash
        self.note = note
    }

    /// The record as one JSON line, newline included (built as bytes: one is
    /// written for every message attempt and outcome).
    public func jsonLine() -> [UInt8] {
        var out = JSONLineWriter()
        out.field("time", string: Self.timeText(time))
        out.field("campaign", string: campaign)
        out.field("state", string: state.rawValue)
        if let key { out.field("key", string: key) }
        if let number { out.field("number", number: number) }
        if let messageID { out.field("message_id", string: messageID) }
        if !recipients.isEmpty {
            out.name("recipients")
            out.bytes.append(UInt8(ascii: "["))
            for (index, recipient) in recipients.enumerated() {
                if index > 0 { out.bytes.append(UInt8(ascii: ",")) }
                JSONWriter.quote(recipient, into: &out.bytes)
            }
            out.bytes.append(UInt8(ascii: "]"))
        }
        if let attempt { out.field("attempt", number: attempt) }
        if replyCode != nil || replyText != nil {
            out.name("reply")
            var reply = JSONLineWriter()
            if let replyCode { reply.field("code", number: replyCode) }
            if let enhancedCode { reply.field("enhanced", string: enhancedCode) }
            if let replyText { reply.field("text", string: replyText) }
            out.bytes.append(contentsOf: reply.finished(newline: false))
        }
        if let hash { out.field("hash", string: hash) }
        if let note { out.field("note", string: note) }
        if let verp { out.field("verp", string: verp) }
        if let bounce {
            out.name("bounce")
            var fields = JSONLineWriter()
            fields.field("kind", string: bounce.kind.rawValue)
            if let value = bounce.action { fields.field("action", string: value) }
            if let value = bounce.status { fields.field("status", string: value) }
            if let value = bounce.diagnostic { fields.field("diagnostic", string: value) }
            if let value = bounce.remoteMTA { fields.field("remote_mta", string: value) }
            if let value = bounce.finalRecipient { fields.field("final_recipient", string: value) }
            if let value = bounce.source { fields.field("source", string: value) }
            out.bytes.append(contentsOf: fields.finished(newline: false))
        }
        return out.finished(newline: true)
    }

    /// Reads a record from a parsed JSON line; nil when it is not a send-log record.
    public init?(_ value: Value) {
        guard case .string(let stateText)? = value["state"], let state = State(rawValue: stateText),
              case .string(let timeText)? = value["time"], let time = Self.parseTime(timeText),
              case .string(let campaign)? = value["campaign"] else { return nil }
        self.init(time: time, campaign: campaign, state: state)
        if case .string(let text)? = value["key"] { key = text }
        if case .int(let n)? = value["number"] { number = n }
        if case .string(let text)? = value["message_id"] { messageID = text }
        if case .array(let items)? = value["recipients"] {
            recipients = items.compactMap { if case .string(let text) = $0 { text } else { nil } }
        }
        if case .int(let n)? = value["attempt"] { attempt = n }
        if let reply = value["reply"] {
            if case .int(let code)? = reply["code"] { replyCode = code }
            if case .string(let text)? = reply["enhanced"] { enhancedCode = text }
            if case .string(let text)? = reply["text"] { replyText = text }
        }
        if case .string(let text)? = value["hash"] { hash = text }
        if case .string(let text)? = value["note"] { note = text }
        if case .string(let text)? = value["verp"] { verp = text }
        if let fields = value["bounce"], case .string(let kindText)? = fields["kind"], let kind = Bounce.Kind(rawValue: kindText) {
            func text(_ name: String) -> String? { if case .string(let text)? = fields[name] { text } else { nil } }
            bounce = Bounce(kind: kind, action: text("action"), status: text("status"), diagnostic: text("diagnostic"),
                            remoteMTA: text("remote_mta"), finalRecipient: text("final_recipient"), source: text("source"))
        }
    }

    /// UTC with milliseconds, `2026-11-27T16:45:52.123Z` (RFC 3339), formatted by hand:
    /// a Foundation date formatter per record cost more than the record's fsync.
    public static func timeText(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds.quotientAndRemainder(dividingBy: 1000).quotient)
        var fraction = Int(milliseconds - Int64(seconds) * 1000)
        if fraction < 0 { fraction += 1000; seconds -= 1 }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ count: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, count - text.count)) + text
        }
        return digits(parts.tm_year + 1900, 4) + "-" + digits(parts.tm_mon + 1, 2) + "-" + digits(parts.tm_mday, 2)
            + "T" + digits(parts.tm_hour, 2) + ":" + digits(parts.tm_min, 2) + ":" + digits(parts.tm_sec, 2)
            + "." + digits(Int32(fraction), 3) + "Z"
    }

    /// Reads `YYYY-MM-DDTHH:MM:SS[.fff…]Z`, the shape `timeText` writes; other RFC 3339
    /// forms (offsets) go through Foundation's parser.
    static func parseTime(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        if bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
           bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes.last == UInt8(ascii: "Z"),
           let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
           let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
           (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 {
            var fraction = 0.0
            if bytes.count > 20 {
                guard bytes[19] == UInt8(ascii: "."), bytes.count > 21, let value = number(20..<bytes.count - 1) else { return nil }
                fraction = Double(value) / pow(10, Double(bytes.count - 21))
            } else if bytes[19] != UInt8(ascii: "Z") {
                return nil
            }
            var parts = tm()
            parts.tm_year = Int32(year - 1900)
            parts.tm_mon = Int32(month - 1)
            parts.tm_mday = Int32(day)
            parts.tm_hour = Int32(hour)
            parts.tm_min = Int32(minute)
            parts.tm_sec = Int32(second)
            return Date(timeIntervalSince1970: Double(timegm(&parts)) + fraction)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}

/// Appends `"name":value` pairs of one JSON object to a byte buffer.
struct JSONLineWriter {
    var bytes: [UInt8] = [UInt8(ascii: "{")]

    init() { bytes.reserveCapacity(256) }

    mutating func name(_ name: String) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        JSONWriter.quote(name, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func field(_ name: String, string: String) {
        self.name(name)
        JSONWriter.quote(string, into: &bytes)
    }

    mutating func field(_ name: String, number: Int) {
        self.name(name)
        bytes.append(contentsOf: String(number).utf8)
    }

    func finished(newline: Bool) -> [UInt8] {
        var result = bytes
        result.append(UInt8(ascii: "}"))
        if newline { result.append(UInt8(ascii: "\n")) }
        return result
    }
}
