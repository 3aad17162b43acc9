import Foundation
public import MegaphoneCampaign
import MegaphoneDelivery
import MegaphoneLog
import MegaphoneMail
import MegaphoneOutbox
import MegaphoneSuppression

/// Sends a campaign: checks every message first (a campaign with errors never
/// connects), writing the messages to send into the spool as they are checked;
/// then for each spooled message writes `attempt` to the send log, hands the bytes
/// to a worker's connection, and writes the outcome. Each message is composed once
/// per run, and the bytes sent are those checked. A resumed run skips what was sent
/// and leaves alone what may have been.
public final class SendRun: @unchecked Sendable {
    let campaign: Campaign
    let options: SendOptions
    let events: @Sendable (SendEvent) -> Void
    private let lock = NSLock()
    private let wake = NSCondition()
    private var summary = SendSummary()
    private var stopReason: SendSummary.StopReason?

    public init(campaign: Campaign, options: SendOptions, events: @escaping @Sendable (SendEvent) -> Void) {
        self.campaign = campaign
        self.options = options
        self.events = events
    }

    /// Asks the run to stop: no new message starts; those in flight finish.
    public func stop(signal: Int32) {
        lock.lock()
        if stopReason == nil { stopReason = .signal(signal) }
        lock.unlock()
        wake.broadcast()
    }

    private func stop(_ reason: SendSummary.StopReason) {
        lock.lock()
        if stopReason == nil { stopReason = reason }
        lock.unlock()
        wake.broadcast()
    }

    var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopReason != nil
    }

    private func update(_ change: (inout SendSummary) -> Void) {
        lock.lock()
        change(&summary)
        let copy = summary
        lock.unlock()
        events(.progress(copy))
    }

    /// The content fingerprint of a message: its bytes without the Date header, so a
    /// re-render of the same message on another day has the same fingerprint.
    public static func fingerprint(_ bytes: [UInt8]) -> String {
        Parcel.fingerprint(bytes)
    }

    /// The one rule (the outbox's): sent, failed or uncertain messages are left alone.
    func decide(_ key: String, history: LogHistory) -> DeliveryDecision {
        DeliveryDecision(history[key], resendUncertain: options.resendUncertain)
    }

    public func run() throws(SendRunError) -> SendSummary {
        let started = Date()
        let (log, history) = try openLog()
        for warning in history.warnings { events(.message(warning)) }
        if !options.allowEmpty, let empty = campaign.emptySignersProblem {
            throw .campaign([empty.description], missingFile: false)
        }

        // Pass 1: every message renders, the campaign matches what the log recorded, and
        // the messages to send are written to the spool exactly as checked.
        let spool: SpoolBuilder
        do { spool = try SpoolBuilder(path: options.spoolPath, campaign: campaign.manifest.name) } catch { throw .spool(error) }
        // Its own function, so that its stream (and the table of recipients seen) is
        // released before the sending pass: one table at a time in memory.
        let (toSend, diagnostics, changed, suppressed) = try checkPass(history: history, spool: spool)
        try refuseUnsendable(diagnostics: diagnostics, changed: changed, spool: spool)
        try logSuppressed(suppressed, in: log)
        events(.started(toSend: toSend, summary: summary))
        if toSend == 0 {
            spool.abort()
            if !options.keepSpool { unlink(options.spoolPath) }
            summary.elapsed = Date().timeIntervalSince(started)
            return summary
        }
        do { summary.reusedSpool = try spool.commit() } catch { throw .spool(error) }
        waitForEmbargo()
        if isStopping {
            summary.notStarted = toSend
            summary.keptSpool = options.spoolPath
            return finish(started)
        }
        do {
            try log.append(SendRecord(campaign: campaign.manifest.name, state: .run,
                                      note: "transport \(options.transportDescription); connections \(options.connections)"
                                        + (options.redirectTo.map { "; every message redirected to \($0)" } ?? "")))
        } catch {
            throw .log(error)
        }
        // Pass 2: workers send; this thread reads the spool and hands its messages out.
        let spoolFailure = sendingPass(log: log, history: history, approved: spool.approved)
        // Outcomes are committed in groups; the last group is synced before the summary.
        log.close()
        settleSpool(toSend: toSend, damaged: spoolFailure != nil)
        return finish(started)
    }

    /// A campaign with errors, or one that changed since its log was started, sends nothing.
    private func refuseUnsendable(diagnostics: [CampaignDiagnostic], changed: [String], spool: SpoolBuilder) throws(SendRunError) {
        if !diagnostics.isEmpty {
            spool.abort()
            var seen: Set<CampaignDiagnostic> = []
            let unique = diagnostics.filter { seen.insert($0).inserted }
            throw .campaign(unique.map(\.description), missingFile: unique.contains(where: \.isMissingFile))
        }
        if !changed.isEmpty, !options.allowChanged {
            spool.abort()
            throw .changed(changed)
        }
    }

    /// Suppressed messages are logged as such (once, until their state changes), never as failed.
    private func logSuppressed(_ records: [SendRecord], in log: SendLog) throws(SendRunError) {
        do {
            var last: SendLog.Ticket? = nil
            for record in records { last = try log.submit(record) }
            if let last { try log.waitDurable(last) }   // one fsync for them all
        } catch {
            throw .log(error)
        }
    }

    /// Holds the run until `--not-before` (an embargo), or until it is stopped.
    private func waitForEmbargo() {
        guard let notBefore = options.notBefore, notBefore > Date() else { return }
        events(.waiting(until: notBefore))
        wake.lock()
        while Date() < notBefore, !isStopping { _ = wake.wait(until: min(notBefore, Date().addingTimeInterval(1))) }
        wake.unlock()
    }

    /// Starts the workers and feeds them the spool's approved messages; returns a
    /// spool found damaged while it was read.
    private func sendingPass(log: SendLog, history: LogHistory, approved: MessageNumbers) -> SpoolError? {
        let queue = JobQueue(capacity: max(16, options.connections * 8))
        let group = DispatchGroup()
        let limiter = options.rate.map(RateLimiter.init)
        let domainLimiter = options.perDomain.map(RateLimiter.init)
        for index in 0..<max(1, options.connections) {
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                Worker(run: self, log: log, queue: queue, limiter: limiter, domainLimiter: domainLimiter, index: index).work()
            }
            thread.name = "megaphone-send-\(index)"
            thread.start()
        }
        var spoolFailure: SpoolError?
        do throws(SpoolError) {
            guard let reader = try SpoolReader(path: options.spoolPath) else {
                throw SpoolError(.damaged, path: options.spoolPath, reason: "it was removed while the run started")
            }
            while var entry = try reader.next() {
                guard approved.contains(entry.number), case .send(let attempts) = decide(entry.key, history: history) else { continue }
                // A Cc or Bcc on the suppression list is left off the envelope.
                if !options.includeSuppressed, !campaign.suppression.isEmpty {
                    entry = entry.withRecipients(campaign.suppression.remaining(entry.recipients))
                }
                if isStopping { break }
                if let notAfter = options.notAfter, Date() > notAfter {
                    stop(.deadline)
                    break
                }
                guard queue.put(Job(message: entry, earlierAttempts: attempts)) else { break }
            }
        } catch {
            spoolFailure = error
            stop(.spool(error))
        }
        queue.close()
        group.wait()
        return spoolFailure
    }

    /// Keeps the spool while something is left to send (or `--keep-spool`); a damaged
    /// spool is never sent from again: the next run writes a new one.
    private func settleSpool(toSend: Int, damaged: Bool) {
        lock.lock()
        summary.notStarted = toSend - (summary.sent + summary.deferred + summary.failed + summary.uncertain)
        let nothingLeft = summary.notStarted == 0 && summary.deferred == 0 && summary.uncertain == 0
        lock.unlock()
        if damaged || (nothingLeft && !options.keepSpool) {
            unlink(options.spoolPath)
        } else {
            summary.keptSpool = options.spoolPath
        }
    }

    /// Composes every message once: checks it, compares it with the log, and spools it if it is to be sent.
    private func checkPass(history: LogHistory, spool: SpoolBuilder) throws(SendRunError) -> (Int, [CampaignDiagnostic], [String], [SendRecord]) {
        var diagnostics: [CampaignDiagnostic] = []
        var suppressed: [SendRecord] = []
        let suppression = options.includeSuppressed ? SuppressionList.empty : campaign.suppression
        var changed: [String] = []
        var toSend = 0
        let stream: MessageStream
        do { stream = try campaign.messages() } catch {
            spool.abort()
            throw .campaign(error.diagnostics.map(\.description), missingFile: error.diagnostics.contains(where: \.isMissingFile))
        }
        do throws(SpoolError) {
            while let outcome = stream.next() {
                switch outcome {
                case .composed(let message):
                    summary.total += 1
                    let hash = Self.fingerprint(message.bytes)
                    if let entry = history[message.key], let logged = entry.hash, logged != hash {
                        changed.append("message \(message.number) (\(message.key)): \(entry.state.rawValue) in the log, and its text or recipients differ now")
                    }
                    switch decide(message.key, history: history) {
                    case .send where suppression.coversAll(message.message.envelopeRecipients.map(\.description)):
                        summary.suppressed += 1
                        if history[message.key]?.state != .suppressed {
                            let reasons = message.message.envelopeRecipients.map { "\($0) (\(suppression.reason(for: $0.description) ?? ""))" }
                            suppressed.append(SendRecord(campaign: campaign.manifest.name, state: .suppressed, key: message.key, number: message.number,
                                                         messageID: message.message.messageID, recipients: message.message.envelopeRecipients.map(\.description),
                                                         hash: hash, note: "on \(suppression.path): " + reasons.joined(separator: "; ")))
                        }
                    case .send:
                        toSend += 1
                        // Once the campaign has an error nothing will be sent: stop writing.
                        if diagnostics.isEmpty { try spool.add(message, hash: hash) }
                    case .alreadySent: summary.alreadySent += 1
                    case .failedEarlier: summary.failedEarlier += 1
                    case .uncertainEarlier: summary.uncertainEarlier.append("message \(message.number) (\(message.key)), Message-ID <\(message.message.messageID)>")
                    }
                case .problems(let problems):
                    diagnostics += problems.filter { $0.severity == .error }
                }
            }
        } catch {
            spool.abort()
            throw .spool(error)
        }
        return (toSend, diagnostics, changed, suppressed)
    }

    private func finish(_ started: Date) -> SendSummary {
        lock.lock()
        defer { lock.unlock() }
        summary.stopReason = stopReason
        summary.elapsed = Date().timeIntervalSince(started)
        return summary
    }

    private func openLog() throws(SendRunError) -> (SendLog, LogHistory) {
        do {
            return try SendLog.open(options.logPath)
        } catch {
            throw .log(error)
        }
    }

    func record(_ outcome: Worker.Outcome) {
        update { summary in
            switch outcome {
            case .sent: summary.sent += 1
            case .deferred: summary.deferred += 1
            case .failed: summary.failed += 1
            case .uncertain: summary.uncertain += 1
            case .notStarted: break
            }
        }
    }

    func fatal(_ error: DeliveryError) { stop(.fatal(error)) }

    /// Sleeps up to `seconds`, waking early when the run stops. Returns false if stopping.
    func pause(_ seconds: Double) -> Bool {
        guard seconds > 0 else { return !isStopping }
        let until = Date().addingTimeInterval(seconds)
        wake.lock()
        while Date() < until, !isStopping { _ = wake.wait(until: until) }
        wake.unlock()
        return !isStopping
    }
}

/// One message handed to a worker, as the spool holds it.
struct Job {
    let message: SpoolEntry
    let earlierAttempts: Int
}

/// A bounded queue between the rendering thread and the workers.
final class JobQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var closed = false
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Adds a job, waiting while the queue is full; false once closed.
    func put(_ job: Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while jobs.count >= capacity, !closed { condition.wait() }
        guard !closed else { return false }
        jobs.append(job)
        // Only one kind of thread ever waits at a time (the producer on a full queue,
        // workers on an empty one), so one wake-up reaches the right one.
        condition.signal()
        return true
    }

    /// The next job, or nil when the queue is closed and empty.
    func take() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty, !closed { condition.wait() }
        guard !jobs.isEmpty else { return nil }
        let job = jobs.removeFirst()
        // The producer, waiting on a full queue, is woken once the queue is half empty,
        // then fills it again in one go: one wake-up per several messages, not each.
        if jobs.count == capacity / 2 { condition.signal() }
        return job
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Drops waiting jobs (the run is stopping) and returns how many there were.
    func drain() -> Int {
        condition.lock()
        defer { condition.unlock() }
        let count = jobs.count
        jobs.removeAll()
        condition.broadcast()
        return count
    }
}
