import Foundation
public import Logging
public import MegaphoneCampaign
import MegaphoneDelivery
public import MegaphoneLog
import MegaphoneMail
import MegaphoneOutbox
public import MegaphoneSignatures
import NIOPosix
public import ServiceLifecycle
import MegaphoneDigest

/// Sends what the server owes one campaign's signers, as a service beside the HTTP
/// server: the store's queued emails (confirmations, notices) through the
/// signer-mail send log, and the letters of confirmed letter-page signers through
/// the campaign's own send log — the one `megaphone send` uses, so neither ever
/// sends a letter the other sent. Delivery is the outbox's: each email's `attempt`
/// is durable before its final dot and its outcome after; queue rows are marked
/// sent last, a batch at a time. After a crash, a queued email whose log says it
/// was sent is only marked; an outbox delivery is repeated safely (it is named
/// after its content); one handed to an SMTP server with no reply is not resent.
///
/// The blocking work (SMTP, fsync) runs on a thread pool of its own, one thread per
/// courier, never on the threads that answer HTTP.
public final class SignerMailService: Service, @unchecked Sendable {
    public let name: String
    let campaign: Campaign
    let store: SignatureStore
    let isLetterPage: Bool
    let delivery: DeliverySettings
    let mailLog: SendLog
    let letterLog: SendLog?
    let mailHistory: LogHistory
    let letterHistory: LogHistory
    let logger: Logger
    let doorbell = Doorbell()
    let pool: NIOThreadPool
    let progress = Progress()
    let couriers: CourierSlots
    /// Emails taken from the queue in one pass.
    static let batch = 256

    /// Opens both send logs (each locked against a second sender).
    /// - Parameter letters: whether confirmed signatures' letters are sent too (a letter page).
    public init(campaign: Campaign, store: SignatureStore, letters: Bool, settings: SignerMailSettings, logger: Logger) throws(LogError) {
        name = campaign.manifest.name
        self.campaign = campaign
        self.store = store
        isLetterPage = letters
        delivery = settings.delivery
        self.logger = logger
        (mailLog, mailHistory) = try SendLog.open(settings.mailLog)
        if letters {
            let (log, history) = try SendLog.open(settings.sendLog)
            letterLog = log
            letterHistory = history
        } else {
            letterLog = nil
            letterHistory = LogHistory()
        }
        // An outbox has no server to spare: its couriers are writers whose fsyncs overlap.
        let count = delivery.target.repeatsAreHarmless ? max(4, delivery.connections) : max(1, delivery.connections)
        couriers = CourierSlots(count: count)
        pool = NIOThreadPool(numberOfThreads: count)
    }

    /// Something was queued: look now.
    public func poke() { doorbell.ring() }

    public func run() async throws {
        pool.start()
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                while !progress.isStopping {
                    let pass = (try? await pool.runIfActive { [self] in self.pass() }) ?? .stopped
                    switch pass {
                    case .worked: continue
                    case .idle: await doorbell.wait(seconds: 5)
                    case .unavailable: await doorbell.wait(seconds: 30)
                    case .stopped: break
                    }
                }
            } onCancel: {
                self.requestStop()
            }
        } onGracefulShutdown: {
            self.requestStop()
        }
        requestStop()
        try? await pool.shutdownGracefully()
    }

    /// Finishes the emails in hand, then stops; what is still queued stays in the
    /// store for the next start. Returns once the logs are closed.
    public func stop() {
        requestStop()
        progress.waitUntilFinished()
    }

    private func requestStop() {
        if progress.requestStop() { closeLogs() }
        doorbell.ring()
    }

    func closeLogs() {
        mailLog.close()
        letterLog?.close()
        progress.finish()
    }

    enum Pass: Sendable { case worked, idle, unavailable, stopped }

    /// One look at the queue (and the letters due): delivers what is due across the
    /// couriers, then marks the delivered emails in one write.
    func pass() -> Pass {
        guard progress.beginPass() else { return .stopped }
        defer { if progress.endPass() { closeLogs() } }
        guard couriers.ready(target: delivery.target, logger: logger, campaign: name) else { return .unavailable }
        let queued: [QueuedMail]
        do { queued = try store.unsentMail(campaign: name, limit: Self.batch) } catch {
            logger.error("signer mail for \(name): the store cannot be read: \(error)")
            return .idle
        }
        var settled: [Int64] = []
        var due: [QueuedMail] = []
        for mail in queued {
            if isSettled(mail.mail.key, in: mailHistory) { settled.append(mail.id) } else if progress.mayTry(mail.mail.key) { due.append(mail) }
        }
        let (delivered, reconnect) = deliverAll(due)
        do { try store.markSent(settled + delivered) } catch {
            logger.error("signer mail for \(name): the store cannot be written: \(error)")
        }
        var worked = !settled.isEmpty || !delivered.isEmpty
        if reconnect { return .worked }
        if isLetterPage, let courier = couriers[0] {
            switch sendDueLetters(with: courier) {
            case .done: worked = true
            case .later: break
            case .reconnect:
                couriers[0] = nil
                return .worked
            }
        }
        return worked ? .worked : .idle
    }

    /// Spreads the emails over the couriers, each on a thread of the pool.
    private func deliverAll(_ mails: [QueuedMail]) -> (delivered: [Int64], reconnect: Bool) {
        guard !mails.isEmpty else { return ([], false) }
        let slices = (0..<couriers.count).map { index in stride(from: index, to: mails.count, by: couriers.count).map { mails[$0] } }
        let results = SliceResults(count: slices.count)
        let group = DispatchGroup()
        for (index, slice) in slices.enumerated() where index > 0 && !slice.isEmpty {
            group.enter()
            pool.submit { [self] _ in
                results[index] = deliverSlice(slice, courier: index)
                group.leave()
            }
        }
        results[0] = deliverSlice(slices[0], courier: 0)
        group.wait()
        let all = results.all
        return (all.flatMap(\.delivered), all.contains(where: \.reconnect))
    }

    private func deliverSlice(_ mails: [QueuedMail], courier index: Int) -> (delivered: [Int64], reconnect: Bool) {
        guard !mails.isEmpty, !progress.isStopping else { return ([], false) }
        guard let courier = couriers[index] ?? couriers.make(index, target: delivery.target) else { return ([], true) }
        let parcels = mails.map { queued in
            let mail = queued.mail
            let record = SendRecord(campaign: name, state: .attempt, key: mail.key, number: Int(queued.id), messageID: nil,
                                    recipients: mail.recipients, hash: CryptoText.sha256(mail.bytes), note: mail.kind)
            return Parcel(record: record, from: mail.envelopeFrom, recipients: mail.recipients, bytes: mail.bytes)
        }
        var steps: [Step] = []
        if delivery.target.repeatsAreHarmless {
            // The outbox: one wait for the journal covers the whole slice.
            steps = handAll(parcels, journal: mailLog, history: mailHistory, courier: courier)
        } else {
            for parcel in parcels {
                if progress.isStopping { break }
                let step = hand(parcel, journal: mailLog, history: mailHistory, courier: courier)
                steps.append(step)
                if case .reconnect = step { break }
            }
        }
        var delivered: [Int64] = []
        for (queued, step) in zip(mails, steps) {
            switch step {
            case .done: delivered.append(queued.id)
            case .later: break
            case .reconnect:
                couriers[index] = nil
                return (delivered, true)
            }
        }
        return (delivered, false)
    }

    enum Step { case done, later, reconnect }

    /// Whether an email or letter needs no (further) try: the outbox's one rule, with
    /// what this run already settled. Handed over with no reply, it is tried again
    /// only where a repeat is harmless (the outbox's content-named copies).
    func isSettled(_ key: String, in history: LogHistory) -> Bool {
        progress.isDone(key) || DeliveryDecision(history[key], resendUncertain: delivery.target.repeatsAreHarmless).isSettled
    }

    /// Hands one message over through the outbox, and keeps when it may be tried again.
    func hand(_ base: Parcel, journal: SendLog, history: LogHistory, courier: Courier) -> Step {
        let (parcel, attempt) = prepared(base, history: history)
        do { return step(try courier.hand(parcel, journal: journal, attempt: attempt), key: base.key) } catch {
            logger.error("\(journal.path): \(error)")
            return .later
        }
    }

    /// Several at once, where a repeat is harmless (`Courier.handAll`).
    func handAll(_ parcels: [Parcel], journal: SendLog, history: LogHistory, courier: Courier) -> [Step] {
        let handovers: [Handover]
        do { handovers = try courier.handAll(parcels.map { prepared($0, history: history) }, journal: journal) } catch {
            logger.error("\(journal.path): \(error)")
            return []
        }
        return zip(parcels, handovers).map { step($1, key: $0.key) }
    }

    /// The parcel as sent (to the test address of a redirected run) and its attempt's number.
    private func prepared(_ base: Parcel, history: LogHistory) -> (parcel: Parcel, attempt: Int) {
        var parcel = base
        if let redirect = delivery.redirectTo { parcel = Parcel(record: base.record, from: base.from, recipients: [redirect], bytes: base.bytes) }
        return (parcel, (history[base.key]?.attempts ?? 0) + progress.tries(base.key) + 1)
    }

    private func step(_ handover: Handover, key: String) -> Step {
        let tries = progress.tries(key)
        switch handover {
        case .unavailable(let error):
            logger.warning("signer mail for \(name): \(error.message); connecting again")
            progress.retryLater(key, after: delivery.retry.wait(after: tries + 1))
            return .reconnect
        case .sent, .uncertain:
            progress.settle(key)
            return .done
        case .failed(let reason):
            logger.warning("signer mail for \(name): \(key) refused: \(reason)")
            progress.settle(key)
            return .done
        case .deferred:
            progress.retryLater(key, after: delivery.retry.wait(after: tries + 1))
            return .later
        }
    }
}
