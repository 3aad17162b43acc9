public import MegaphoneDelivery

/// Where delivered mail goes: the local outbox Maildir (the safe default: nothing
/// leaves the machine) or an SMTP server the user named.
public enum OutboxTarget: Sendable {
    /// A local Maildir.
    case outbox(String)
    case smtp(SMTPSettings)

    /// A new connection (or outbox writer) for one courier. With `stableNames`, an
    /// outbox copy is named after its content, so delivering it again after a crash
    /// leaves one copy (the server's signer mail relies on it).
    public func makeTransport(stableNames: Bool = false) throws(DeliveryError) -> any Transport {
        switch self {
        case .outbox(let path):
            let transport = try MaildirTransport(path: path)
            transport.stableNames = stableNames
            return transport
        case .smtp(let settings): return try SMTPConnection(settings: settings)
        }
    }

    /// Whether a message handed over with no reply may be handed over again: only
    /// to an outbox whose copies are named after their content.
    public var repeatsAreHarmless: Bool {
        if case .outbox = self { true } else { false }
    }

    /// How the target is described in the log and on screen (no credentials).
    public var description: String {
        switch self {
        case .outbox(let path): return "outbox \(path)"
        case .smtp(let settings):
            var text = settings.displayURL
            if settings.insecure { text += " (--insecure: certificates not checked)" }
            if !settings.isImplicitTLS, settings.startTLS == .never { text += " (no TLS)" }
            return text
        }
    }

    /// Makes sure an outbox can be written before anything is queued for it.
    public func checkWritable() throws(DeliveryError) {
        guard case .outbox(let path) = self else { return }
        do { _ = try MaildirWriter(path: path) } catch {
            throw DeliveryError(.configuration, "\(path): error: the outbox Maildir cannot be created (\(error)); give --outbox a folder you can write to")
        }
    }
}
