import Foundation
import MegaphoneData
import MegaphoneMail
import MegaphoneTemplate
import MegaphoneValue

/// Produces a campaign's messages in order — recipient rows in file order, and
/// within each recipient the signers in file order. Rows are read one batch at a
/// time and the batch's messages composed on every core; they come out in order.
public final class MessageStream {
    let campaign: Campaign
    let reader: CSVReader
    let limit: Int?
    private var number = 0

    /// Outcomes composed ahead, each with its message number, handed out from `readyIndex`.
    private var ready: [(outcome: MessageOutcome, number: Int)] = []
    private var readyIndex = 0
    private var lastReturned = 0
    /// Batches being composed in the background, oldest first.
    private var pending: [PendingBatch] = []
    private var finished = false
    private static let batchesAhead = 3
    /// Rows composed together: enough to keep every core busy, few enough to hold in memory.
    private static let batchSize = 64

    /// The number of the message last produced (or attempted).
    public var lastNumber: Int { lastReturned }
    private var seen: SeenRecipients
    private var current: Recipient? = nil
    private var signerIndex = 0

    struct Recipient: Sendable {
        let line: Int
        let fields: [String: String]
        let mailbox: Mailbox
        let key: String
    }

    /// The signers each recipient is written to in each-signer mode: the campaign's,
    /// or one supporter's alone (a letter page).
    let signers: [Campaign.SignerRow]

    /// The Date of every message this stream composes.
    let date: Date

    init(campaign: Campaign, reader: CSVReader, limit: Int?, signers: [Campaign.SignerRow]? = nil, date: Date? = nil) {
        self.campaign = campaign
        self.date = date ?? campaign.date
        self.reader = reader
        self.limit = limit
        self.signers = signers ?? campaign.signers
        seen = SeenRecipients(expected: reader.estimatedRowCount())
    }

    private var path: String { campaign.manifest.recipients }

    /// The next message or problem; nil when the campaign (or the limit) is done.
    public func next() -> MessageOutcome? {
        if readyIndex == ready.count { fill() }
        guard readyIndex < ready.count else { return nil }
        let (outcome, number) = ready[readyIndex]
        readyIndex += 1
        lastReturned = number
        return outcome
    }

    /// One step of the stream: an outcome known at once (a problem in the row, a
    /// duplicate), or a message to compose.
    private enum Step {
        case done(MessageOutcome)
        case compose(MessageComposer)
    }

    /// Hands out the oldest batch composed in the background and keeps `batchesAhead`
    /// more in flight, so that composing overlaps with reading rows and with whatever
    /// the caller does with the messages.
    private func fill() {
        ready.removeAll(keepingCapacity: true)
        readyIndex = 0
        startBatches()
        guard !pending.isEmpty else { return }
        let batch = pending.removeFirst()
        startBatches()   // the next batches compose while the caller works through this one
        batch.group.wait()
        var next = 0
        for (step, number) in batch.steps {
            switch step {
            case .done(let outcome): ready.append((outcome, number))
            case .compose:
                ready.append((batch.composed.take(next), number))
                next += 1
            }
        }
    }

    /// Starts batches until `batchesAhead` are in flight or the rows run out.
    private func startBatches() {
        while !finished, pending.count < Self.batchesAhead {
            guard let batch = startBatch() else {
                finished = true
                return
            }
            pending.append(batch)
        }
    }

    /// Reads the next rows (here, in order) and composes their messages on every core in the background.
    private func startBatch() -> PendingBatch? {
        var steps: [(step: Step, number: Int)] = []
        while steps.count < Self.batchSize, let step = nextStep() { steps.append((step, number)) }
        guard !steps.isEmpty else { return nil }
        let composers = steps.compactMap { if case .compose(let composer) = $0.step { composer } else { nil } }
        let composed = ComposedBatch(count: composers.count)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            DispatchQueue.concurrentPerform(iterations: composers.count) { index in
                composed.set(index, composers[index].compose())
            }
        }
        return PendingBatch(steps: steps, composed: composed, group: group)
    }

    private struct PendingBatch {
        let steps: [(step: Step, number: Int)]
        let composed: ComposedBatch
        let group: DispatchGroup
    }

    private func nextStep() -> Step? {
        while true {
            if let recipient = current, campaign.manifest.mode == .eachSigner {
                if signerIndex < signers.count {
                    let signer = signers[signerIndex]
                    signerIndex += 1
                    // A letter-page signer writes only to the recipients they chose.
                    guard signer.writes(to: recipient.mailbox) else { continue }
                    guard advanceNumber() else { return nil }
                    return .compose(composer(recipient, signer: signer, key: recipient.key + " " + signer.key))
                }
                current = nil
            }
            let record: CSVRecord
            do {
                guard let next = try reader.next() else { return nil }
                record = next
            } catch {
                return .done(.problems([CampaignDiagnostic(error)]))
            }
            let fields = reader.object(record)
            let email = (fields["email"] ?? "").trimmingSpaces
            guard !email.isEmpty else {
                return .done(.problems([CampaignDiagnostic(path: path, line: record.line, columnName: "email", message: "the recipient's email is empty; fill it in or delete the row")]))
            }
            let mailbox: Mailbox
            do {
                mailbox = try Mailbox(displayName: (fields["name"] ?? "").trimmingSpaces,
                                      address: EmailAddress(email, allowUTF8: campaign.manifest.smtputf8))
            } catch {
                return .done(.problems([CampaignDiagnostic(path: path, line: record.line, columnName: error.text == email ? "email" : "name",
                                                     message: error.description)]))
            }
            // The message's key (its send-log identity, Message-ID and tokens) keeps the
            // address as RFC 5321 sees it; two spellings of one person's address are
            // one recipient (`EmailAddress.key`).
            let key = mailbox.address.comparisonKey
            if let first = seen.insert(mailbox.address.key, line: record.line) {
                return .done(.problems([CampaignDiagnostic(.warning, path: path, line: record.line,
                                                     message: "\(mailbox.address) is listed again (first on line \(first)); it is sent one message")]))
            }
            let recipient = Recipient(line: record.line, fields: fields, mailbox: mailbox, key: key)
            if campaign.manifest.mode == .eachSigner {
                current = recipient
                signerIndex = 0
                continue
            }
            guard advanceNumber() else { return nil }
            return .compose(composer(recipient, signer: nil, key: key))
        }
    }

    private func advanceNumber() -> Bool {
        if let limit, number >= limit { return false }
        number += 1
        return true
    }

    private func composer(_ recipient: Recipient, signer: Campaign.SignerRow?, key: String) -> MessageComposer {
        MessageComposer(campaign: campaign, recipient: recipient, signer: signer, number: number, key: key, date: date)
    }
}

/// The outcomes of one batch, written by the composing threads, each into its own
/// slot of memory allocated once (an Array would be touched as a whole on each write).
private final class ComposedBatch: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<MessageOutcome?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// Distinct indices from distinct threads.
    func set(_ index: Int, _ outcome: MessageOutcome) {
        slots[index] = outcome
    }

    func take(_ index: Int) -> MessageOutcome {
        slots[index] ?? .problems([])
    }
}
