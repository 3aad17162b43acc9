/// What a send log says about each message, folded from its records in order.
public struct LogHistory: Sendable {
    /// One message's story so far.
    public struct Entry: Sendable {
        public var key: String
        public var number: Int?
        public var messageID: String?
        public var recipients: [String] = []
        public var hash: String?
        /// The latest record's state for this message.
        public var state: SendRecord.State
        public var attempts = 0
        public var last: SendRecord
        /// The latest bounce reported for this message.
        public var bounce: SendRecord.Bounce?
        /// The VERP token its envelope sender carried.
        public var verp: String?

        /// Attempted, and no outcome written after it (or the outcome was uncertain).
        public var isUncertain: Bool { state == .attempt || state == .uncertain }
    }

    public private(set) var entries: [String: Entry] = [:]
    /// The order in which messages first appear in the log.
    public private(set) var order: [String] = []
    public private(set) var runs: [SendRecord] = []
    public internal(set) var warnings: [String] = []

    public init() {}

    mutating func add(_ record: SendRecord) {
        if record.state == .run {
            runs.append(record)
            return
        }
        guard let key = record.key else { return }
        let previous = entries[key]?.state
        var entry = entries[key] ?? Entry(key: key, state: record.state, last: record)
        if entries[key] == nil { order.append(key) }
        entry.state = record.state
        entry.last = record
        entry.number = record.number ?? entry.number
        entry.messageID = record.messageID ?? entry.messageID
        if !record.recipients.isEmpty { entry.recipients = record.recipients }
        entry.hash = record.hash ?? entry.hash
        entry.verp = record.verp ?? entry.verp
        if record.state == .attempt { entry.attempts += 1 }
        if record.state == .bounced { entry.bounce = record.bounce }
        // Once sent, a message stays sent whatever a later line says, but for a bounce
        // (it was sent, and came back); once bounced, it stays bounced.
        if previous == .sent, record.state != .bounced { entry.state = .sent }
        if previous == .bounced { entry.state = .bounced }
        entries[key] = entry
    }

    public subscript(key: String) -> Entry? { entries[key] }

    /// Counts of messages by their latest state.
    public var counts: [SendRecord.State: Int] {
        var counts: [SendRecord.State: Int] = [:]
        for entry in entries.values { counts[entry.state == .uncertain ? .attempt : entry.state, default: 0] += 1 }
        return counts
    }
}
