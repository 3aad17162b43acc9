import Foundation
import MegaphoneCampaign
import Logging
import MegaphoneLog
import MegaphoneMail
import MegaphoneOutbox
import MegaphoneSignatures
import MegaphoneSuppression
import MegaphoneTokens

extension SignerMailService {
    /// The letters of confirmed letter-page signers still due, on one courier.
    func sendDueLetters(with courier: Courier) -> Step {
        let due: [Signature]
        do { due = try store.lettersDue(campaign: name) } catch {
            logger.error("signer mail for \(name): the store cannot be read: \(error)")
            return .later
        }
        var worked = false
        for signature in due {
            if progress.isStopping { break }
            switch sendLetters(of: signature, with: courier) {
            case .done: worked = true
            case .later: break
            case .reconnect: return .reconnect
            }
        }
        return worked ? .done : .later
    }

    private func sendLetters(of signature: Signature, with courier: Courier) -> Step {
        guard let letterLog else { return .done }
        // Read now, not at start-up: `megaphone bounces` may have added to it since.
        let suppression = (try? SuppressionList(path: SuppressionList.path(forCampaign: campaign.manifest.path))) ?? .empty
        for outcome in campaign.letters(from: signature.fields, targets: signature.targets) {
            guard case .composed(let letter) = outcome else {
                if case .problems(let problems) = outcome, problems.contains(where: { $0.severity == .error }) {
                    logger.error("signature \(signature.id) of \(name): a letter cannot be composed: \(problems.map(\.description).joined(separator: "; "))")
                }
                continue
            }
            if isSettled(letter.key, in: letterHistory) { continue }
            // As `send` does: a suppressed recipient is left off the envelope, and a letter
            // to suppressed addresses only is logged as suppressed, never sent.
            let envelope = letter.message.envelopeRecipients.map(\.description)
            let addresses = suppression.remaining(envelope)
            if addresses.isEmpty, delivery.redirectTo == nil {
                let record = SendRecord(campaign: name, state: .suppressed, key: letter.key, number: letter.number,
                                        messageID: letter.message.messageID, recipients: envelope,
                                        note: "on \(suppression.path): a letter-page signer's letter, not sent")
                do { _ = try letterLog.submit(record) } catch { logger.error("\(letterLog.path): \(error)") }
                progress.settle(letter.key)
                continue
            }
            var record = SendRecord(campaign: name, state: .attempt, key: letter.key, number: letter.number,
                                    messageID: letter.message.messageID, recipients: addresses, hash: Parcel.fingerprint(letter.bytes),
                                    note: "a letter-page signer's letter, sent by megaphone serve")
            // The envelope sender carries the letter's VERP token when the campaign has a bounce address.
            if campaign.manifest.verp { record.verp = campaign.tokens?.verpToken(forKey: letter.key) }
            let parcel = Parcel(record: record, from: letter.message.envelopeFrom.description, recipients: addresses, bytes: letter.bytes)
            let step = hand(parcel, journal: letterLog, history: letterHistory, courier: courier)
            if case .done = step { continue }
            return step
        }
        do { try store.markLettersSent(signature.id) } catch {
            logger.error("signer mail for \(name): the store cannot be written: \(error)")
        }
        return .done
    }
}
