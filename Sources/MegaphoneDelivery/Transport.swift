import MegaphoneMail
import MegaphoneDigest
/// Where a worker hands messages: an SMTP server, or the local outbox. One instance
/// belongs to one worker thread.
public protocol Transport: AnyObject {
    /// Checks that delivery can work at all (connects, TLS, login) before any message.
    func prepare() throws(DeliveryError)
    /// Hands one message over. `beforeFinalDot` runs once the whole message is with
    /// the server but before the end-of-data mark that commits it (the send log's
    /// `attempt` must be on disk by then); returning false abandons the message
    /// before it can be delivered. A `DeliveryError` stops the whole run.
    func deliver(from: String, recipients: [String], bytes: [UInt8],
                 beforeFinalDot: @escaping () -> Bool) -> Result<SMTPResult, DeliveryError>
    /// Hands several messages over whose journal records are already durable (no
    /// barrier before each final dot); a transport may make them durable together.
    func deliverAll(_ messages: [(from: String, recipients: [String], bytes: [UInt8])]) -> [Result<SMTPResult, DeliveryError>]
}

extension Transport {
    public func deliverAll(_ messages: [(from: String, recipients: [String], bytes: [UInt8])]) -> [Result<SMTPResult, DeliveryError>] {
        deliverEach(messages)
    }

    /// One after another, stopping at the first that cannot be delivered at all.
    public func deliverEach(_ messages: [(from: String, recipients: [String], bytes: [UInt8])]) -> [Result<SMTPResult, DeliveryError>] {
        var results: [Result<SMTPResult, DeliveryError>] = []
        for message in messages {
            let result = deliver(from: message.from, recipients: message.recipients, bytes: message.bytes) { true }
            results.append(result)
            if case .failure = result { break }
        }
        return results
    }
}

extension SMTPConnection: Transport {
    public func prepare() throws(DeliveryError) { try verify() }

    public func deliver(from: String, recipients: [String], bytes: [UInt8],
                        beforeFinalDot: @escaping () -> Bool) -> Result<SMTPResult, DeliveryError> {
        send(from: from, recipients: recipients, bytes: bytes, beforeFinalDot: beforeFinalDot)
    }
}

/// The safe default: messages go into a local Maildir, the outbox, instead of
/// anyone's mailbox. Each copy starts with `Return-Path` and `X-Envelope-To`
/// headers so the envelope (Bcc included) can be seen.
public final class MaildirTransport: Transport {
    let writer: MaildirWriter
    private var count = 0
    /// Name each copy after its content (less the Date header), so that delivering a
    /// message again after a crash leaves one copy (the server's signer mail uses this).
    public var stableNames = false

    public init(path: String) throws(DeliveryError) {
        do {
            writer = try MaildirWriter(path: path)
        } catch {
            throw DeliveryError(.configuration, error.description)
        }
    }

    public func prepare() throws(DeliveryError) {}

    public func deliver(from: String, recipients: [String], bytes: [UInt8],
                        beforeFinalDot: @escaping () -> Bool) -> Result<SMTPResult, DeliveryError> {
        guard beforeFinalDot() else {
            return .success(.temporary(reply: nil, reason: "abandoned before delivery"))
        }
        count += 1
        let copy = Self.envelope(from: from, recipients: recipients) + bytes
        do {
            let file = stableNames
                ? try writer.deliver(copy, stableName: Self.stableName(bytes, recipients: recipients))
                : try writer.deliver(copy, number: count)
            return .success(.sent(reply: SMTPReply(code: 250, enhanced: nil, text: "delivered to \(file)"), refused: []))
        } catch {
            return .failure(DeliveryError(.unavailable, error.description))
        }
    }
}

extension MaildirTransport {
    /// Content-named copies written together: each file under `tmp/`, then all synced
    /// (the first sync commits the file system's journal for the rest), then each moved
    /// into `new/`, and `new/` synced once — rather than a full commit per message.
    public func deliverAll(_ messages: [(from: String, recipients: [String], bytes: [UInt8])]) -> [Result<SMTPResult, DeliveryError>] {
        guard stableNames else { return deliverEach(messages) }
        let copies = messages.map { message in
            (bytes: Self.envelope(from: message.from, recipients: message.recipients) + message.bytes,
             name: Self.stableName(message.bytes, recipients: message.recipients))
        }
        do {
            let files = try writer.deliver(batch: copies)
            return files.map { .success(.sent(reply: SMTPReply(code: 250, enhanced: nil, text: "delivered to \($0)"), refused: [])) }
        } catch {
            return [.failure(DeliveryError(.unavailable, error.description))]
        }
    }

    /// `megaphone-` and the SHA-256 of the recipients and the message after its Date header.
    /// The headers each outbox copy starts with, so its envelope (Bcc included) can be seen.
    static func envelope(from: String, recipients: [String]) -> [UInt8] {
        Array("Return-Path: <\(from)>\r\nX-Envelope-To: \(recipients.joined(separator: ", "))\r\n".utf8)
    }

    static func stableName(_ bytes: [UInt8], recipients: [String]) -> String {
        let digest = CryptoText.sha256(pieces: [Array(recipients.joined(separator: ",").utf8), Array(Message.bytesAfterDate(bytes))])
        return "megaphone-" + CryptoText.sha256(digest.prefix(16))
    }
}
