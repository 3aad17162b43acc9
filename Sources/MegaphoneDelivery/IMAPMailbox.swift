import CCurl
import CCurlShims
import Foundation

/// How to reach an IMAP mailbox, as curl spells it: `imaps://host/INBOX` (TLS from the
/// first byte) or `imap://host/INBOX` (STARTTLS, required). Credentials never come
/// from the command line.
public struct IMAPSettings: Sendable {
    public var url: String
    public var user: String?
    public var password: String?
    /// A CA certificate file trusted in addition to the system's.
    public var caFile: String?
    /// Skip certificate checks (test servers only).
    public var insecure = false
    public var connectTimeout = 60

    public init(url: String) {
        self.url = url
    }

    public var host: String? { URLComponents(string: url)?.host }

    /// The URL without a user name, safe to print.
    public var displayURL: String { Credentials.displayURL(url) }

    /// Checks the URL: imap or imaps, a host, a mailbox, no password in it.
    public func validate() throws(DeliveryError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "imap" || scheme == "imaps", let host = components.host, !host.isEmpty else {
            throw DeliveryError(.configuration, "'\(url)' is not an IMAP mailbox URL; write imaps://host/INBOX")
        }
        if components.password != nil {
            throw DeliveryError(.configuration, "a password in the --imap URL would show in process lists and shell history; set MEGAPHONE_IMAP_PASSWORD, use --password-file, or ~/.netrc")
        }
        let mailbox = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if mailbox.isEmpty || mailbox.contains(";") || mailbox.contains("?") {
            throw DeliveryError(.configuration, "'\(url)' names no mailbox; write imaps://\(host)/INBOX (or the folder the bounces arrive in)")
        }
    }
}

/// Reads every message of one IMAP mailbox through libcurl, without changing it:
/// `UID SEARCH ALL`, then `UID FETCH n BODY.PEEK[]` for each (PEEK: the \Seen flag
/// is not set; libcurl's own `;UID=n` fetch uses BODY[], which sets it). TLS is
/// always required. libcurl hands a custom command's untagged lines to the write
/// callback but drops a literal's bytes there; every line the server sends reaches
/// CURLOPT_DEBUGFUNCTION as CURLINFO_HEADER_IN, which is where the message is read from.
public final class IMAPMailbox {
    private let settings: IMAPSettings
    private let handle: EasyHandle

    public init(settings: IMAPSettings) throws(DeliveryError) {
        try settings.validate()
        self.settings = settings
        handle = try EasyHandle()
        handle.set(.url, settings.url)
        handle.set(.noSignal, 1)
        handle.set(.useSSL, CurlUseSSL.all.rawValue)
        handle.set(.connectTimeout, settings.connectTimeout)
        handle.setTLS(insecure: settings.insecure, caFile: settings.caFile)
        handle.setLogin(user: settings.user, password: settings.password)
    }

    /// The mailbox's message UIDs, oldest first.
    public func uids() throws(DeliveryError) -> [Int] {
        // "\r\n" is one Character in Swift: lines are split after folding CRLF to LF.
        let text = String(decoding: try command("UID SEARCH ALL"), as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        var result: [Int] = []
        for line in text.split(separator: "\n") where line.hasPrefix("* SEARCH") {
            result += line.dropFirst("* SEARCH".count).split(separator: " ").compactMap { Int($0) }
        }
        return result.sorted()
    }

    /// One message's bytes, as the server stores them; the mailbox is not changed.
    public func message(uid: Int) throws(DeliveryError) -> [UInt8] {
        let reply = try command("UID FETCH \(uid) BODY.PEEK[]", transcript: true)
        // `* n FETCH (UID u BODY[] {size}\r\n` then size bytes (an IMAP literal).
        guard let fetch = Self.find(Array(" FETCH (".utf8), in: reply),
              let open = reply[fetch...].firstIndex(of: UInt8(ascii: "{")),
              let close = reply[open...].firstIndex(of: UInt8(ascii: "}")),
              let size = Int(String(decoding: reply[(open + 1)..<close], as: UTF8.self)),
              close + 3 + size <= reply.count else {
            throw DeliveryError(.unavailable, "\(settings.displayURL): the server's answer to FETCH \(uid) could not be read")
        }
        let start = close + 3   // past "}\r\n"
        return Array(reply[start..<(start + size)])
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }

    /// Runs one command; returns the untagged lines (or, with `transcript`, every byte the server sent).
    private func command(_ request: String, transcript: Bool = false) throws(DeliveryError) -> [UInt8] {
        let sink = IMAPSink()
        handle.set(.customRequest, request)
        let context = Unmanaged.passUnretained(sink).toOpaque()
        if transcript {
            handle.setDebug(imapDebugCallback, context: context)
        } else {
            _ = ccurl_easy_setopt_data_callback(handle.handle, CURLOPT_WRITEFUNCTION, imapWriteCallback)
            _ = ccurl_easy_setopt_pointer(handle.handle, CURLOPT_WRITEDATA, context)
        }
        defer {
            _ = ccurl_easy_setopt_data_callback(handle.handle, CURLOPT_WRITEFUNCTION, discardCallback)
            _ = ccurl_easy_setopt_pointer(handle.handle, CURLOPT_WRITEDATA, nil)
            handle.setDebug(nil, context: nil)
        }
        let code = withExtendedLifetime(sink) { handle.perform() }
        guard code == CURLE_OK else {
            let text = handle.errorText(code)
            switch code {
            case CURLE_LOGIN_DENIED:
                throw DeliveryError(.configuration, "\(settings.displayURL): the login was refused (\(text)); check --user and the password (MEGAPHONE_IMAP_PASSWORD, --password-file or ~/.netrc)")
            case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE:
                throw DeliveryError(.configuration, "\(settings.displayURL): the server's certificate is not trusted (\(text)); give its CA with --cacert")
            case CURLE_USE_SSL_FAILED:
                throw DeliveryError(.configuration, "\(settings.displayURL): the server offers no TLS, and Megaphone does not send a password in the clear")
            default:
                throw DeliveryError(.unavailable, "\(settings.displayURL): \(request.split(separator: " ").prefix(2).joined(separator: " ")) failed: \(text)")
            }
        }
        return sink.bytes
    }
}

@available(*, unavailable)
extension IMAPMailbox: Sendable {}

/// Collects what libcurl writes for one IMAP command.
private final class IMAPSink {
    var bytes: [UInt8] = []
}

private func imapDebugCallback(_ handle: UnsafeMutableRawPointer, _ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>,
                               _ size: Int, _ context: UnsafeMutableRawPointer?) -> Int32 {
    guard type == ccurl_infotype_header_in(), let context else { return 0 }
    let sink = Unmanaged<IMAPSink>.fromOpaque(context).takeUnretainedValue()
    data.withMemoryRebound(to: UInt8.self, capacity: size) { sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: size)) }
    return 0
}

private func imapWriteCallback(_ buffer: UnsafeMutablePointer<CChar>, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let sink = Unmanaged<IMAPSink>.fromOpaque(context).takeUnretainedValue()
    buffer.withMemoryRebound(to: UInt8.self, capacity: size * count) { sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: size * count)) }
    return size * count
}
