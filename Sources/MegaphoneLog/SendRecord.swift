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

    /// The record as one JSON line, newline included.
    public func jsonLine() -> [UInt8] {
        var fields: [String] = [
            "\"time\":" + JSONText.quote(Self.timeText(time)),
            "\"campaign\":" + JSONText.quote(campaign),
            "\"state\":" + JSONText.quote(state.rawValue),
        ]
        if let key { fields.append("\"key\":" + JSONText.quote(key)) }
        if let number { fields.append("\"number\":\(number)") }
        if let messageID { fields.append("\"message_id\":" + JSONText.quote(messageID)) }
        if !recipients.isEmpty { fields.append("\"recipients\":[" + recipients.map(JSONText.quote).joined(separator: ",") + "]") }
        if let attempt { fields.append("\"attempt\":\(attempt)") }
        if replyCode != nil || replyText != nil {
            var reply: [String] = []
            if let replyCode { reply.append("\"code\":\(replyCode)") }
            if let enhancedCode { reply.append("\"enhanced\":" + JSONText.quote(enhancedCode)) }
            if let replyText { reply.append("\"text\":" + JSONText.quote(replyText)) }
            fields.append("\"reply\":{" + reply.joined(separator: ",") + "}")
        }
        if let hash { fields.append("\"hash\":" + JSONText.quote(hash)) }
        if let note { fields.append("\"note\":" + JSONText.quote(note)) }
        return Array(("{" + fields.joined(separator: ",") + "}\n").utf8)
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
    }

    static func timeText(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}

/// JSON string quoting (RFC 8259): quotes, backslashes and control characters escaped.
enum JSONText {
    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
