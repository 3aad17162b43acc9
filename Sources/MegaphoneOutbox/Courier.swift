import Foundation
public import MegaphoneDelivery
public import MegaphoneLog

/// Hands messages over on one connection, journaling each: `attempt` is written
/// and durable before the message's final dot, the message is handed over, and the
/// outcome is written (without waiting for the disk: the next attempt's sync, or
/// the journal's close, covers it). A courier belongs to one thread at a time.
public final class Courier {
    public let transport: any Transport

    public init(target: OutboxTarget, stableNames: Bool = false) throws(DeliveryError) {
        transport = try target.makeTransport(stableNames: stableNames)
    }

    /// Connects (TLS, login) before any message: a refusal here delivers nothing.
    public func prepare() throws(DeliveryError) {
        try transport.prepare()
    }

    /// attempt (durable before the final dot) → hand over → outcome, in `journal`.
    /// - Parameters:
    ///   - attempt: the attempt's number, counting the journal's earlier ones.
    ///   - temporaryNote: the note a deferral is written with, given the server's reason
    ///     (say when it will be tried again).
    /// - Throws: the journal cannot be written: no promise about duplicates holds without it.
    public func hand(_ parcel: Parcel, journal: any DeliveryJournal, attempt: Int, temporaryNote: (String) -> String = { $0 }) throws(LogError) -> Handover {
        let record = Self.attemptRecord(parcel, attempt)
        let ticket = try journal.write(record, syncNow: true)
        let barrier = DurabilityBarrier(journal: journal, ticket: ticket)
        let result = transport.deliver(from: parcel.from, recipients: parcel.recipients, bytes: parcel.bytes, beforeFinalDot: barrier.wait)
        if let failure = barrier.failure { throw failure }
        return try settle(record, parcel: parcel, result: result, journal: journal, temporaryNote: temporaryNote)
    }

    /// Writes a hand-over's outcome after its attempt.
    private func settle(_ record: SendRecord, parcel: Parcel, result: Result<SMTPResult, DeliveryError>, journal: any DeliveryJournal,
                        temporaryNote: (String) -> String) throws(LogError) -> Handover {
        switch result {
        case .failure(let error):
            // Problems that stop delivery come before DATA: nothing was delivered.
            try write(record, to: journal, .deferred, note: "not delivered: \(error.message)")
            return .unavailable(error)
        case .success(.sent(let reply, let refused)):
            let note = refused.isEmpty ? parcel.record.note : "refused: " + refused.map { "\($0.recipient) (\($0.reply))" }.joined(separator: "; ")
            try write(record, to: journal, .sent, reply: reply, note: note)
            return .sent
        case .success(.permanent(let reply, let reason)):
            try write(record, to: journal, .failed, reply: reply, note: reason)
            return .failed(reason: reason)
        case .success(.uncertain(let reason)):
            try write(record, to: journal, .uncertain, note: reason)
            return .uncertain
        case .success(.temporary(let reply, let reason)):
            try write(record, to: journal, .deferred, reply: reply, note: temporaryNote(reason))
            return .deferred(reason: reason)
        }
    }

    /// Several messages for a target where handing one over again is harmless (the
    /// outbox, whose copies are named after their content): every `attempt` is
    /// written, one wait makes them all durable, then each is handed over and its
    /// outcome written. A crash in between leaves attempts with no outcome, which
    /// such a target delivers again (`DeliveryDecision` with `resendUncertain`).
    /// Stops at the first message the transport cannot deliver at all.
    public func handAll(_ parcels: [(parcel: Parcel, attempt: Int)], journal: any DeliveryJournal) throws(LogError) -> [Handover] {
        var attempts: [SendRecord] = []
        var last: JournalTicket?
        for (parcel, number) in parcels {
            let record = Self.attemptRecord(parcel, number)
            last = try journal.write(record, syncNow: false)
            attempts.append(record)
        }
        if let last { try journal.waitDurable(last) }
        let delivered = transport.deliverAll(parcels.map { ($0.parcel.from, $0.parcel.recipients, $0.parcel.bytes) })
        var results: [Handover] = []
        for (index, result) in delivered.enumerated() where index < parcels.count {
            results.append(try settle(attempts[index], parcel: parcels[index].parcel, result: result, journal: journal, temporaryNote: { $0 }))
        }
        return results
    }

    /// The `attempt` record a hand-over starts with.
    private static func attemptRecord(_ parcel: Parcel, _ attempt: Int) -> SendRecord {
        var record = parcel.record
        record.time = Date()
        record.state = .attempt
        record.attempt = attempt
        return record
    }

    private func write(_ attempt: SendRecord, to journal: any DeliveryJournal, _ state: SendRecord.State, reply: SMTPReply? = nil, note: String?) throws(LogError) {
        var record = attempt
        record.time = Date()
        record.state = state
        record.replyCode = reply?.code
        record.enhancedCode = reply?.enhanced
        record.replyText = reply?.text
        record.note = note
        _ = try journal.write(record, syncNow: false)
    }
}

/// Waits, before a message's final dot, until its `attempt` is durable.
final class DurabilityBarrier: @unchecked Sendable {
    let journal: any DeliveryJournal
    let ticket: JournalTicket
    private(set) var failure: LogError?

    init(journal: any DeliveryJournal, ticket: JournalTicket) {
        self.journal = journal
        self.ticket = ticket
    }

    func wait() -> Bool {
        do {
            try journal.waitDurable(ticket)
            return true
        } catch {
            failure = error
            return false
        }
    }
}
