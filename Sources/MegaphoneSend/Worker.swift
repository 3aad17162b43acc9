import Foundation
import MegaphoneCampaign
import MegaphoneDelivery
import MegaphoneLog
import MegaphoneMail

/// One sending thread with its own connection: for each message, `attempt` is
/// written and synced to the log, the message is handed over, and the outcome is
/// written; temporary failures are retried with backoff, then left as deferred.
struct Worker {
    enum Outcome {
        case sent, deferred, failed, uncertain, notStarted
    }

    let run: SendRun
    let log: SendLog
    let queue: JobQueue
    let limiter: RateLimiter?
    let domainLimiter: RateLimiter?
    let index: Int

    func work() {
        let transport: any Transport
        do {
            transport = try run.makeTransport()
            try transport.prepare()
        } catch {
            run.fatal(error)
            _ = queue.drain()
            return
        }
        while let job = queue.take() {
            if run.isStopping {
                _ = queue.drain()
                continue
            }
            run.record(send(job, with: transport))
        }
    }

    /// Writes a record without waiting for the disk: the syncer commits it with the
    /// next group, at the latest before the next message's final dot.
    @discardableResult
    private func record(_ base: SendRecord, _ state: SendRecord.State, attempt: Int, reply: SMTPReply? = nil, note: String? = nil) throws(LogError) -> SendLog.Ticket {
        var record = base
        record.time = Date()
        record.state = state
        record.attempt = attempt
        record.replyCode = reply?.code
        record.enhancedCode = reply?.enhanced
        record.replyText = reply?.text
        record.note = note
        return try log.submit(record, syncNow: state == .attempt)
    }

    private func send(_ job: Job, with transport: any Transport) -> Outcome {
        let message = job.message
        let recipients = run.options.redirectTo.map { [$0] } ?? message.recipients
        var base = SendRecord(campaign: run.campaign.manifest.name, state: .attempt, key: message.key, number: message.number,
                              messageID: message.messageID, recipients: recipients, hash: message.hash)
        if run.campaign.manifest.verp { base.verp = run.campaign.tokens?.verpToken(forKey: message.key) }
        let domain = recipients.first.flatMap { $0.split(separator: "@").last.map { $0.lowercased() } } ?? ""
        var attempt = job.earlierAttempts
        var tries = 0
        do {
            while true {
                if let limiter, !run.pause(limiter.reserve()) { return .notStarted }
                if let domainLimiter, !run.pause(domainLimiter.reserve(domain)) { return .notStarted }
                attempt += 1
                tries += 1
                let ticket = try record(base, .attempt, attempt: attempt)
                let durability = DurabilityCheck(log: log, ticket: ticket)
                let result = transport.deliver(from: message.envelopeFrom, recipients: recipients, bytes: message.bytes,
                                               beforeFinalDot: durability.wait)
                if let failure = durability.failure { throw failure }
                switch result {
                case .failure(let error):
                    // Problems that stop the run come before DATA: nothing was delivered.
                    try record(base, .deferred, attempt: attempt, note: "the run stopped: \(error.message)")
                    run.fatal(error)
                    return .deferred
                case .success(.sent(let reply, let refused)):
                    let note = refused.isEmpty ? nil : "refused: " + refused.map { "\($0.recipient) (\($0.reply))" }.joined(separator: "; ")
                    try record(base, .sent, attempt: attempt, reply: reply, note: note)
                    return .sent
                case .success(.permanent(let reply, let reason)):
                    try record(base, .failed, attempt: attempt, reply: reply, note: reason)
                    return .failed
                case .success(.uncertain(let reason)):
                    try record(base, .uncertain, attempt: attempt, note: reason)
                    return .uncertain
                case .success(.temporary(let reply, let reason)):
                    let wait = run.options.retry.wait(after: tries)
                    let willRetry = tries <= run.options.retry.retries && !run.isStopping
                    try record(base, .deferred, attempt: attempt, reply: reply,
                               note: willRetry ? "\(reason); trying again in \(String(format: "%.1f", wait))s" : reason)
                    if !willRetry || !run.pause(wait) { return .deferred }
                }
            }
        } catch {
            // The log cannot be written: stop, since no promise about duplicates holds without it.
            run.fatal(DeliveryError(.unavailable, "\(error)"))
            return .notStarted
        }
    }
}

/// Waits, before a message's final dot, until its `attempt` record is on disk.
final class DurabilityCheck: @unchecked Sendable {
    let log: SendLog
    let ticket: SendLog.Ticket
    private(set) var failure: LogError?

    init(log: SendLog, ticket: SendLog.Ticket) {
        self.log = log
        self.ticket = ticket
    }

    func wait() -> Bool {
        do {
            try log.waitDurable(ticket)
            return true
        } catch {
            failure = error
            return false
        }
    }
}
