/// Where a worker hands messages: an SMTP server, or the local outbox. One instance
/// belongs to one worker thread.
public protocol Transport: AnyObject {
    /// Checks that delivery can work at all (connects, TLS, login) before any message.
    func prepare() throws(DeliveryError)
    /// Hands one message over. A `DeliveryError` stops the whole run.
    func deliver(from: String, recipients: [String], bytes: [UInt8]) -> Result<SMTPResult, DeliveryError>
}

extension SMTPConnection: Transport {
    public func prepare() throws(DeliveryError) { try verify() }

    public func deliver(from: String, recipients: [String], bytes: [UInt8]) -> Result<SMTPResult, DeliveryError> {
        send(from: from, recipients: recipients, bytes: bytes)
    }
}

/// The safe default: messages go into a local Maildir, the outbox, instead of
/// anyone's mailbox. Each copy starts with `Return-Path` and `X-Envelope-To`
/// headers so the envelope (Bcc included) can be seen.
public final class MaildirTransport: Transport {
    let writer: MaildirWriter
    private var count = 0

    public init(path: String) throws(DeliveryError) {
        do {
            writer = try MaildirWriter(path: path)
        } catch {
            throw DeliveryError(.configuration, error.description)
        }
    }

    public func prepare() throws(DeliveryError) {}

    public func deliver(from: String, recipients: [String], bytes: [UInt8]) -> Result<SMTPResult, DeliveryError> {
        count += 1
        let envelope = "Return-Path: <\(from)>\r\nX-Envelope-To: \(recipients.joined(separator: ", "))\r\n"
        do {
            let file = try writer.deliver(Array(envelope.utf8) + bytes, number: count)
            return .success(.sent(reply: SMTPReply(code: 250, enhanced: nil, text: "delivered to \(file)"), refused: []))
        } catch {
            return .failure(DeliveryError(.unavailable, error.description))
        }
    }
}
