import Foundation
import Logging
import MegaphoneCampaign
import MegaphoneDelivery
import MegaphoneLog
import MegaphoneMail
import MegaphoneSend
import MegaphoneSignatures

/// Sends what the server owes signers, on a thread of its own: the store's queued
/// emails (confirmations, notices) through the signer-mail send log, and the
/// letters of confirmed letter-page signers through the campaign's own send log —
/// the one `megaphone send` uses, so neither ever sends a letter the other sent.
/// Each email's `attempt` is on disk before its final dot and its outcome after;
/// the queue row is marked sent last. After a crash, a queued email whose log says
/// it was sent is only marked; an outbox delivery is repeated safely (it is named
/// after its content); one handed to an SMTP server with no reply is not resent.
final class SignerMailer: @unchecked Sendable {
    let campaign: WebCampaign
    let options: SendOptions
    let mailLog: SendLog
    /// The campaign's own send log: held (and locked) only for a letter page, so a
    /// petition can be delivered with `megaphone send` while its page is served.
    let letterLog: SendLog?
    private let mailHistory: LogHistory
    private let letterHistory: LogHistory
    private let logger: Logger
    private let condition = NSCondition()
    private var stopping = false
    private var pokes = 0
    private var finished = false
    /// Emails and letters this run tried: when each may be tried again, and how many tries so far.
    private var retryAt: [String: (Date, Int)] = [:]
    /// Keys with an outcome in this run (the histories read at start do not see them).
    private var done: Set<String> = []

    /// Opens both send logs (each locked against a second sender) and the transport's settings.
    init(campaign: WebCampaign, options: SendOptions, mailLogPath: String, logger: Logger) throws(LogError) {
        self.campaign = campaign
        self.options = options
        self.logger = logger
        (mailLog, mailHistory) = try SendLog.open(mailLogPath)
        if campaign.isLetterPage {
            let (log, history) = try SendLog.open(options.logPath)
            letterLog = log
            letterHistory = history
        } else {
            letterLog = nil
            letterHistory = LogHistory()
        }
    }

    func start() {
        let thread = Thread { [self] in loop() }
        thread.name = "megaphone-signer-mail-\(campaign.name)"
        thread.start()
    }

    /// Something was queued: look again now.
    func poke() {
        condition.lock()
        pokes += 1
        condition.signal()
        condition.unlock()
    }

    /// Finishes the email in hand, then stops; what is still queued stays in the store
    /// for the next start. Returns when the thread has stopped.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
        mailLog.close()
        letterLog?.close()
    }

    private var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    private func loop() {
        defer {
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        var transport: (any Transport)?
        while !isStopping {
            condition.lock()
            let seen = pokes
            condition.unlock()
            if transport == nil {
                do {
                    let made = try makeTransport()
                    try made.prepare()
                    transport = made
                } catch {
                    logger.error("signer mail for \(campaign.name) cannot be delivered now: \(error.message); trying again in 30s")
                    wait(seconds: 30, seen: seen)
                    continue
                }
            }
            guard let current = transport else { continue }
            let didWork = drain(with: current)
            if case .reconnect = didWork { transport = nil }
            if case .idle = didWork { wait(seconds: 5, seen: seen) }
        }
    }

    private func wait(seconds: Double, seen: Int) {
        condition.lock()
        let until = Date().addingTimeInterval(seconds)
        while pokes == seen, !stopping, Date() < until { _ = condition.wait(until: until) }
        condition.unlock()
    }

    private enum Pass { case worked, idle, reconnect }

    private func makeTransport() throws(DeliveryError) -> any Transport {
        switch options.target {
        case .outbox(let path):
            let transport = try MaildirTransport(path: path)
            transport.stableNames = true
            return transport
        case .smtp(let settings): return try SMTPConnection(settings: settings)
        }
    }

    private func drain(with transport: any Transport) -> Pass {
        var worked = false
        do {
            for queued in try campaign.store.unsentMail(limit: 50) where queued.campaign == campaign.name {
                if isStopping { return .worked }
                if let (when, _) = retryAt[queued.mail.key], when > Date() { continue }
                switch deliverQueued(queued, with: transport) {
                case .done: worked = true
                case .later: break
                case .reconnect: return .reconnect
                }
            }
            if campaign.isLetterPage {
                for signature in try campaign.store.lettersDue(campaign: campaign.name) {
                    if isStopping { return .worked }
                    switch sendLetters(of: signature, with: transport) {
                    case .done: worked = true
                    case .later: break
                    case .reconnect: return .reconnect
                    }
                }
            }
        } catch {
            logger.error("signer mail for \(campaign.name): the store cannot be read: \(error)")
        }
        return worked ? .worked : .idle
    }

    private enum Step { case done, later, reconnect }

    private func deliverQueued(_ queued: QueuedMail, with transport: any Transport) -> Step {
        let mail = queued.mail
        if isSettled(mail.key, in: mailHistory) {
            try? campaign.store.markSent(queued.id)
            return .done
        }
        let record = SendRecord(campaign: campaign.name, state: .attempt, key: mail.key, number: Int(queued.id),
                                messageID: nil, recipients: mail.recipients, hash: CryptoText.sha256(mail.bytes), note: mail.kind)
        let step = deliver(bytes: mail.bytes, from: mail.envelopeFrom, recipients: mail.recipients, record: record, log: mailLog,
                           history: mailHistory, with: transport)
        if case .done = step { try? campaign.store.markSent(queued.id) }
        return step
    }

    /// Whether an email needs no (further) try: it has an outcome from this run, or the
    /// log says it was sent or refused — or handed to an SMTP server with no reply, which
    /// is not resent (the outbox's content-named copies make a repeat there harmless).
    private func isSettled(_ key: String, in history: LogHistory) -> Bool {
        if done.contains(key) { return true }
        guard let entry = history[key] else { return false }
        if entry.state == .sent || entry.state == .failed { return true }
        if case .outbox = options.target { return false }
        return entry.isUncertain
    }

    private func sendLetters(of signature: Signature, with transport: any Transport) -> Step {
        guard let letterLog else { return .done }
        // Read now, not at start-up: `megaphone bounces` may have added to it since.
        let suppression = (try? SuppressionList(path: SuppressionList.path(forCampaign: campaign.campaign.manifest.path))) ?? .empty
        for outcome in campaign.campaign.letters(from: signature.fields, targets: signature.targets) {
            guard case .composed(let letter) = outcome else {
                if case .problems(let problems) = outcome, problems.contains(where: { $0.severity == .error }) {
                    logger.error("signature \(signature.id) of \(campaign.name): a letter cannot be composed: \(problems.map(\.description).joined(separator: "; "))")
                }
                continue
            }
            if isSettled(letter.key, in: letterHistory) { continue }
            // As `send` does: a suppressed recipient is left off the envelope, and a letter
            // to suppressed addresses only is logged as suppressed, never sent.
            let addresses = suppression.remaining(letter.message.envelopeRecipients.map(\.description))
            if addresses.isEmpty, options.redirectTo == nil {
                let record = SendRecord(campaign: campaign.name, state: .suppressed, key: letter.key, number: letter.number,
                                        messageID: letter.message.messageID, recipients: letter.message.envelopeRecipients.map(\.description),
                                        note: "on \(suppression.path): a letter-page signer's letter, not sent")
                do { _ = try letterLog.submit(record) } catch { logger.error("\(letterLog.path): \(error)") }
                done.insert(letter.key)
                continue
            }
            let recipients = options.redirectTo.map { [$0] } ?? addresses
            var record = SendRecord(campaign: campaign.name, state: .attempt, key: letter.key, number: letter.number,
                                    messageID: letter.message.messageID, recipients: recipients, hash: SendRun.fingerprint(letter.bytes),
                                    note: "a letter-page signer's letter, sent by megaphone serve")
            // The envelope sender carries the letter's VERP token when the campaign has a bounce address.
            if campaign.campaign.manifest.verp { record.verp = campaign.campaign.tokens?.verpToken(forKey: letter.key) }
            let step = deliver(bytes: letter.bytes, from: letter.message.envelopeFrom.description, recipients: recipients,
                               record: record, log: letterLog, history: letterHistory, with: transport)
            if case .done = step { continue }
            return step
        }
        try? campaign.store.markLettersSent(signature.id)
        return .done
    }

    /// attempt (durable before the final dot) → hand over → outcome.
    private func deliver(bytes: [UInt8], from: String, recipients: [String], record base: SendRecord, log: SendLog,
                         history: LogHistory, with transport: any Transport) -> Step {
        guard let key = base.key else { return .done }
        let tries = retryAt[key]?.1 ?? 0
        var record = base
        record.attempt = (history[key]?.attempts ?? 0) + tries + 1
        record.time = Date()
        func write(_ state: SendRecord.State, reply: SMTPReply? = nil, note: String? = nil) {
            var outcome = record
            outcome.time = Date()
            outcome.state = state
            outcome.replyCode = reply?.code
            outcome.enhancedCode = reply?.enhanced
            outcome.replyText = reply?.text
            outcome.note = note ?? record.note
            do { _ = try log.submit(outcome) } catch { logger.error("\(log.path): \(error)") }
        }
        let ticket: SendLog.Ticket
        do { ticket = try log.submit(record) } catch {
            logger.error("\(log.path): \(error)")
            return .later
        }
        let result = transport.deliver(from: from, recipients: recipients, bytes: bytes) { (try? log.waitDurable(ticket)) != nil }
        func settle(_ state: SendRecord.State, reply: SMTPReply? = nil, note: String? = nil) -> Step {
            write(state, reply: reply, note: note)
            done.insert(key)
            retryAt[key] = nil
            return .done
        }
        func retry(_ step: Step, reply: SMTPReply? = nil, note: String) -> Step {
            write(.deferred, reply: reply, note: note)
            retryAt[key] = (Date().addingTimeInterval(options.retry.wait(after: tries + 1)), tries + 1)
            return step
        }
        switch result {
        case .failure(let error):
            logger.warning("signer mail for \(campaign.name): \(error.message); connecting again")
            return retry(.reconnect, note: "not delivered: \(error.message)")
        case .success(.sent(let reply, _)):
            return settle(.sent, reply: reply)
        case .success(.permanent(let reply, let reason)):
            logger.warning("signer mail for \(campaign.name): \(key) refused: \(reason)")
            return settle(.failed, reply: reply, note: reason)
        case .success(.uncertain(let reason)):
            return settle(.uncertain, note: reason)
        case .success(.temporary(let reply, let reason)):
            return retry(.later, reply: reply, note: reason)
        }
    }
}
