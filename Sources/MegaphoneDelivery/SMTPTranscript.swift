import CCurl
import CCurlShims
import Foundation

/// What libcurl's debug callback showed of one SMTP transfer: the commands sent
/// (credentials never kept) with their replies, and the server's EHLO capabilities.
final class SMTPTranscript {
    struct Exchange {
        /// The command's verb and argument (`RCPT TO:<a@example.org>`); `AUTH` without its payload.
        let command: String
        var reply: SMTPReply?
    }

    static let endOfData = "(end of data)"

    private(set) var exchanges: [Exchange] = []
    private(set) var greeting: SMTPReply?
    private(set) var capabilities: [String] = []
    private var pendingLines: [String] = []
    private var partial = ""
    private var lastReplyCode = 0

    func reset() {
        exchanges = []
        greeting = nil
        pendingLines = []
        partial = ""
    }

    func commandSent(_ raw: String) {
        for piece in raw.utf8.split(separator: UInt8(ascii: "\n")) {
            let bytes = piece.last == UInt8(ascii: "\r") ? piece.dropLast() : piece[...]
            guard !bytes.isEmpty else { continue }
            let line = String(decoding: bytes, as: UTF8.self)
            let command: String
            if lastReplyCode == 334 {
                command = "(credentials)"          // an AUTH LOGIN / PLAIN continuation: never kept
            } else if bytes.count >= 4, bytes.prefix(4).elementsEqual("AUTH".utf8, by: { $0 & 0xDF == $1 }) {
                command = String(line.split(separator: " ").prefix(2).joined(separator: " "))
            } else {
                command = String(line.prefix(300))
            }
            exchanges.append(Exchange(command: command, reply: nil))
            lastReplyCode = 0
        }
    }

    func replyReceived(_ raw: String) {
        partial += raw
        // Split on LF over UTF-8 (as Characters, CR LF is one grapheme); a trailing CR is dropped.
        let pieces = partial.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard pieces.count > 1 else { return }
        for piece in pieces.dropLast() {
            let line = String(decoding: piece.last == UInt8(ascii: "\r") ? piece.dropLast() : piece[...], as: UTF8.self)
            pendingLines.append(line)
            let bytes = line.utf8
            let isLast = bytes.count < 4 || bytes[bytes.index(bytes.startIndex, offsetBy: 3)] != UInt8(ascii: "-")
            guard isLast, let reply = SMTPReply(lines: pendingLines) else { continue }
            if let index = exchanges.indices.last, exchanges[index].reply == nil {
                exchanges[index].reply = reply
                if exchanges[index].command.uppercased().hasPrefix("EHLO") {
                    capabilities = pendingLines.dropFirst().map { String($0.dropFirst(4)).uppercased() }
                }
            } else if exchanges.isEmpty {
                greeting = reply
            } else {
                // A reply with no command of its own: the one after the message's final dot.
                exchanges.append(Exchange(command: Self.endOfData, reply: reply))
            }
            lastReplyCode = reply.code
            pendingLines = []
        }
        partial = String(decoding: pieces[pieces.count - 1], as: UTF8.self)
    }

    /// The reply to the last command starting with `verb`.
    func reply(to verb: String) -> SMTPReply? {
        exchanges.last { $0.command.uppercased().hasPrefix(verb) }?.reply
    }

    var offersAuth: Bool { capabilities.contains { $0.hasPrefix("AUTH") } }

    /// The largest message the server takes, as its EHLO's `SIZE n` says (RFC 1870);
    /// nil when it names none (or `SIZE 0`, no limit).
    var sizeLimit: Int? {
        for capability in capabilities where capability.hasPrefix("SIZE ") {
            if let limit = Int(capability.dropFirst(5).trimmingCharacters(in: .whitespaces)), limit > 0 { return limit }
        }
        return nil
    }

    /// The last reply received, from any command.
    var lastReply: SMTPReply? { exchanges.last { $0.reply != nil }?.reply ?? greeting }
}

/// libcurl's debug callback: a global, non-capturing function; the transcript
/// travels in CURLOPT_DEBUGDATA.
func smtpDebugCallback(_ handle: UnsafeMutableRawPointer, _ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>,
                       _ size: Int, _ context: UnsafeMutableRawPointer?) -> Int32 {
    guard let context else { return 0 }
    let transcript = Unmanaged<SMTPTranscript>.fromOpaque(context).takeUnretainedValue()
    // Only commands and replies are kept: the message body (data out) is never decoded.
    if type == ccurl_infotype_header_out() {
        transcript.commandSent(String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self))
    } else if type == ccurl_infotype_header_in() {
        transcript.replyReceived(String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self))
    }
    return 0
}

/// The message being uploaded, read by libcurl through CURLOPT_READFUNCTION.
final class UploadBuffer {
    let bytes: [UInt8]
    var offset = 0
    /// True once libcurl has been handed the last byte: from then on the server may
    /// have the whole message, so a failure is uncertain rather than safe to retry.
    var finished = false
    /// Runs before the end of the message is reported (after which libcurl sends the
    /// final dot); false aborts the transfer so the message is never committed.
    let beforeEnd: () -> Bool
    var abandoned = false

    init(_ bytes: [UInt8], beforeEnd: @escaping () -> Bool) {
        self.bytes = bytes
        self.beforeEnd = beforeEnd
    }
}

/// CURL_READFUNC_ABORT: stops the transfer from a read callback.
let readFunctionAbort = 0x10000000

func smtpReadCallback(_ buffer: UnsafeMutablePointer<CChar>, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let upload = Unmanaged<UploadBuffer>.fromOpaque(context).takeUnretainedValue()
    let room = size * count
    let remaining = upload.bytes.count - upload.offset
    guard remaining > 0 else {
        upload.finished = true
        return 0
    }
    let length = min(room, remaining)
    if upload.offset + length == upload.bytes.count, !upload.finished {
        // The last bytes, after which libcurl sends the final dot that commits the
        // message: the caller's check (the send log's attempt on disk) comes first.
        guard upload.beforeEnd() else {
            upload.abandoned = true
            return readFunctionAbort
        }
        upload.finished = true
    }
    upload.bytes.withUnsafeBytes { source in
        UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + upload.offset, byteCount: length)
    }
    upload.offset += length
    return length
}

/// CURLOPT_WRITEFUNCTION: SMTP replies to commands such as NOOP would otherwise be
/// written to standard output; they are read from the transcript instead.
func discardCallback(_ buffer: UnsafeMutablePointer<CChar>, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    size * count
}
