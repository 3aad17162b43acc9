import CCurl
import CCurlShims
import Foundation

/// How one message's handoff to the server ended.
public enum SMTPResult: Sendable {
    /// The server took the message (250 to the final dot). `refused` lists the
    /// recipients it turned down at RCPT, with their replies.
    case sent(reply: SMTPReply?, refused: [Refusal])
    /// A temporary failure (4xx, or the connection failed before the message was
    /// handed over): safe to try again.
    case temporary(reply: SMTPReply?, reason: String)
    /// A permanent refusal of this message (5xx): do not try again.
    case permanent(reply: SMTPReply?, reason: String)
    /// The whole message was handed over but no reply came: the server may have it.
    case uncertain(reason: String)

    public struct Refusal: Sendable {
        public let recipient: String
        public let reply: SMTPReply
    }
}

/// One SMTP connection, kept open across messages: a libcurl easy handle reused
/// for each message (libcurl keeps the connection), reconnecting after failures.
public final class SMTPConnection {
    public let settings: SMTPSettings
    private let handle: EasyHandle
    private let transcript = SMTPTranscript()

    public init(settings: SMTPSettings) throws(DeliveryError) {
        try settings.validate()
        self.settings = settings
        handle = try EasyHandle()
        handle.set(.url, settings.url)
        handle.set(.noSignal, 1)
        handle.set(.tcpKeepAlive, 1)
        if !settings.isImplicitTLS {
            handle.set(.useSSL, settings.startTLS == .required ? CurlUseSSL.all.rawValue : CurlUseSSL.none.rawValue)
        }
        handle.setTLS(insecure: settings.insecure, caFile: settings.caFile)
        handle.setLogin(user: settings.user, password: settings.password)
        if let bearer = settings.bearer {
            handle.set(.bearer, bearer)
            handle.set(.loginOptions, "AUTH=XOAUTH2")
        }
        if let options = settings.loginOptions { handle.set(.loginOptions, options) }
        handle.set(.connectTimeout, settings.connectTimeout)
        handle.set(.serverResponseTimeout, settings.responseTimeout)
        handle.set(.mailRecipientAllowFails, 1)
        handle.setDebug(smtpDebugCallback, context: Unmanaged.passUnretained(transcript).toOpaque())
    }

    deinit {
        handle.setDebug(nil, context: nil)
    }

    /// Connects (and negotiates TLS and AUTH) with a NOOP before any message, so a
    /// wrong password or certificate stops the run before anything is sent; a
    /// temporary failure is left to the messages' own retries. With
    /// credentials set, a server that offers no AUTH is refused: libcurl would
    /// otherwise go on unauthenticated.
    public func verify() throws(DeliveryError) {
        transcript.reset()
        handle.set(.upload, 0)
        handle.set(.customRequest, "NOOP")
        let code = withExtendedLifetime(transcript) { handle.perform() }
        handle.set(.customRequest, nil)
        if code != CURLE_OK {
            // A problem of ours stops the run; anything else (a 421, a refused
            // connection) is left to each message's retries.
            if let fatal = classifyFatal(code) { throw fatal }
            return
        }
        if settings.hasCredentials, !transcript.offersAuth {
            throw DeliveryError(.configuration, "credentials are set but \(settings.displayURL) offers no AUTH (after TLS); refusing to send unauthenticated")
        }
    }

    /// Connections the last transfer opened: 0 when it reused the open one.
    public var connectionsOpenedByLastTransfer: Int { handle.connectionsOpened }

    /// Hands one message to the server: MAIL FROM `from`, RCPT TO each of `recipients`, DATA `bytes`.
    public func send(from: String, recipients: [String], bytes: [UInt8],
                     beforeFinalDot: @escaping () -> Bool = { true }) -> Result<SMTPResult, DeliveryError> {
        // Defence in depth: addresses were checked upstream, but nothing with a line
        // break, NUL, space or angle bracket may reach the wire as an SMTP argument.
        let unsafe = ([from] + recipients).first { address in
            address.isEmpty || address.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" || $0 == " " || $0 == "<" || $0 == ">" }
        }
        if let unsafe {
            return .success(.permanent(reply: nil, reason: "refused to send: the envelope address \(unsafe.debugDescription) is not a plain address"))
        }
        // The server said at EHLO how large a message it takes: a larger one would be
        // refused (or cut off) after its whole upload; it fails here, with what to do.
        if let limit = transcript.sizeLimit, bytes.count > limit {
            return .success(.permanent(reply: nil, reason: "the server takes messages of at most \(limit) bytes (EHLO SIZE \(limit)) and this one is \(bytes.count) bytes; set the campaign's \"max_message_size\" to \(limit) and run `megaphone check` to see which letters are too large and what to do about them"))
        }
        transcript.reset()
        let upload = UploadBuffer(bytes, beforeEnd: beforeFinalDot)
        let list = CurlStringList(recipients.map { "<\($0)>" })
        handle.set(.mailFrom, "<\(from)>")
        handle.setRecipients(list)
        handle.set(.upload, 1)
        handle.setUploadSize(bytes.count)
        handle.setReader(smtpReadCallback, context: Unmanaged.passUnretained(upload).toOpaque())
        let code = withExtendedLifetime((upload, list, transcript)) { handle.perform() }
        handle.setReader(nil, context: nil)
        handle.setRecipients(nil)
        return classify(code, upload: upload, recipients: recipients)
    }

    private func describe(_ code: CURLcode) -> String {
        "\(handle.errorText(code)) (curl error \(code.rawValue))"
    }

    /// Problems of ours or refusals of the whole run: they stop everything.
    private func classifyFatal(_ code: CURLcode) -> DeliveryError? {
        // The refusal answers the AUTH command or its credentials line, whichever came last.
        if let auth = transcript.exchanges.first(where: { [530, 534, 535, 538].contains($0.reply?.code ?? 0) })?.reply
            ?? transcript.reply(to: "AUTH").flatMap({ $0.code >= 500 ? $0 : nil }) {
            return DeliveryError(.configuration, "the server refused the login: \(auth); check the user name and password (or token)")
        }
        switch code {
        case CURLE_LOGIN_DENIED:
            return DeliveryError(.configuration, "the server refused the login: \(describe(code)); check the user name and password")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
            return DeliveryError(.configuration, "TLS failed: \(describe(code)); give the server's CA with --cacert, or check the host name")
        case CURLE_SSL_CONNECT_ERROR:
            return DeliveryError(.configuration, "TLS failed: \(describe(code))")
        case CURLE_USE_SSL_FAILED:
            return DeliveryError(.unavailable, "the server does not offer STARTTLS, and TLS is required; use --starttls never only for a relay on loopback")
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return DeliveryError(.configuration, "bad SMTP URL \(settings.displayURL): \(describe(code))")
        default:
            break
        }
        for exchange in transcript.exchanges {
            guard let reply = exchange.reply else { continue }
            if reply.code == 421, reply.enhanced?.hasPrefix("4.7") == true {
                return DeliveryError(.unavailable, "the server refuses us for policy reasons: \(reply)")
            }
        }
        if let mail = transcript.reply(to: "MAIL FROM"), mail.code >= 500 {
            return DeliveryError(.unavailable, "the server refused the sender (MAIL FROM): \(mail); no recipient is marked failed for it")
        }
        return nil
    }

    private func classify(_ code: CURLcode, upload: UploadBuffer, recipients: [String]) -> Result<SMTPResult, DeliveryError> {
        if let fatal = classifyFatal(code) { return .failure(fatal) }
        if upload.abandoned {
            return .success(.temporary(reply: nil, reason: "abandoned before the final dot"))
        }
        var refused: [SMTPResult.Refusal] = []
        var temporaryRefusal: SMTPReply? = nil
        for exchange in transcript.exchanges where exchange.command.uppercased().hasPrefix("RCPT TO:") {
            guard let reply = exchange.reply, reply.code >= 400 else { continue }
            let recipient = exchange.command.dropFirst(8).trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
            refused.append(.init(recipient: recipient, reply: reply))
            if reply.code < 500 { temporaryRefusal = reply }
        }
        let finalReply = transcript.exchanges.last?.reply
        if code == CURLE_OK {
            return .success(.sent(reply: finalReply, refused: refused))
        }
        // Every recipient refused: the message goes nowhere.
        if refused.count == recipients.count, let first = refused.first {
            if let temporaryRefusal { return .success(.temporary(reply: temporaryRefusal, reason: "recipient refused for now")) }
            return .success(.permanent(reply: first.reply, reason: "every recipient was refused"))
        }
        if let reply = transcript.exchanges.last(where: { ($0.reply?.code ?? 0) >= 400 })?.reply ?? transcript.greeting.flatMap({ $0.code >= 400 ? $0 : nil }) {
            if reply.code >= 500 { return .success(.permanent(reply: reply, reason: describe(code))) }
            return .success(.temporary(reply: reply, reason: describe(code)))
        }
        let dataAccepted = transcript.reply(to: "DATA")?.code == 354
        // Failing while the message was still being written means the server cannot
        // have the final dot; once every byte was handed over, it may have it all.
        if upload.finished, dataAccepted {
            return .success(.uncertain(reason: "the whole message was sent but no reply came: \(describe(code))"))
        }
        return .success(.temporary(reply: nil, reason: describe(code)))
    }
}

@available(*, unavailable)
extension SMTPConnection: Sendable {}
