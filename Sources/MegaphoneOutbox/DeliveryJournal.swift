public import MegaphoneLog

/// Where a courier writes what it does with each message: an `attempt` that must be
/// durable before the message's final dot, then the outcome. The send log file is
/// one journal; a database table shared by several servers can be another.
public protocol DeliveryJournal: AnyObject, Sendable {
    /// Where the journal is, for messages.
    var location: String { get }
    /// Writes a record; with `syncNow`, its durability is wanted soon (an attempt).
    func write(_ record: SendRecord, syncNow: Bool) throws(LogError) -> JournalTicket
    /// Returns once the record behind `ticket`, and every one before it, is durable.
    func waitDurable(_ ticket: JournalTicket) throws(LogError)
}

/// A record's place in a journal.
public struct JournalTicket: Sendable {
    public let sequence: UInt64

    public init(sequence: UInt64) {
        self.sequence = sequence
    }
}

extension SendLog: DeliveryJournal {
    public var location: String { path }

    public func write(_ record: SendRecord, syncNow: Bool) throws(LogError) -> JournalTicket {
        let ticket: SendLog.Ticket = try submit(record, syncNow: syncNow)
        return JournalTicket(sequence: ticket.sequence)
    }

    public func waitDurable(_ ticket: JournalTicket) throws(LogError) {
        try waitDurable(SendLog.Ticket(sequence: ticket.sequence))
    }
}
