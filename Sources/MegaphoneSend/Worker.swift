import Foundation
import MegaphoneCampaign
import MegaphoneDelivery
import MegaphoneLog
import MegaphoneOutbox
import MegaphoneTokens

/// One sending thread with its own courier (its own connection): each message is
/// handed over through the outbox's journaled protocol; temporary failures are
/// retried with backoff, then left as deferred.
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
        let courier: Courier
        do {
            courier = try Courier(target: run.options.target)
            try courier.prepare()
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
            run.record(send(job, with: courier))
        }
    }

    private func send(_ job: Job, with courier: Courier) -> Outcome {
        let message = job.message
        let recipients = run.options.redirectTo.map { [$0] } ?? message.recipients
        var record = SendRecord(campaign: run.campaign.manifest.name, state: .attempt, key: message.key, number: message.number,
                                messageID: message.messageID, recipients: recipients, hash: message.hash)
        if run.campaign.manifest.verp { record.verp = run.campaign.tokens?.verpToken(forKey: message.key) }
        let parcel = Parcel(record: record, from: message.envelopeFrom, recipients: recipients, bytes: message.bytes)
        let domain = recipients.first.flatMap { $0.split(separator: "@").last.map { $0.lowercased() } } ?? ""
        var attempt = job.earlierAttempts
        var tries = 0
        do {
            while true {
                if let limiter, !run.pause(limiter.reserve()) { return .notStarted }
                if let domainLimiter, !run.pause(domainLimiter.reserve(domain)) { return .notStarted }
                attempt += 1
                tries += 1
                // Decided once the server has answered 4xx (the note says it), not before each try.
                var retry: (wait: Double, again: Bool)?
                let handover = try courier.hand(parcel, journal: log, attempt: attempt) { reason in
                    let decided = (wait: run.options.retry.wait(after: tries), again: tries <= run.options.retry.retries && !run.isStopping)
                    retry = decided
                    return decided.again ? "\(reason); trying again in \(String(format: "%.1f", decided.wait))s" : reason
                }
                switch handover {
                case .unavailable(let error):
                    run.fatal(error)
                    return .deferred
                case .sent: return .sent
                case .failed: return .failed
                case .uncertain: return .uncertain
                case .deferred:
                    guard let retry, retry.again, run.pause(retry.wait) else { return .deferred }
                }
            }
        } catch {
            // The log cannot be written: stop, since no promise about duplicates holds without it.
            run.fatal(DeliveryError(.unavailable, "\(error)"))
            return .notStarted
        }
    }
}
