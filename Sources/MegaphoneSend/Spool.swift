import Foundation
import MegaphoneFiles

/// The spool: the bytes the check pass validated, written once and read back by the
/// sending pass, so a run composes each message once and sends exactly what was
/// checked. A file beside the send log (`NAME.spool` for `NAME.sendlog.jsonl`):
///
///     megaphone-spool 1 CAMPAIGN
///     NUMBER TAB LENGTH TAB HASH TAB KEY TAB MESSAGE-ID TAB MAIL-FROM TAB RCPT... LF
///     LENGTH bytes of the message, LF
///     …
///     end COUNT LF
///
/// Fields are `%`-escaped (`%09` tab, `%0A` line feed, `%25` percent). A spool
/// without its `end` line was cut short and is never used. Each message's bytes are
/// hashed again as they are read, and must match the hash the check pass wrote.
public enum Spool {
    static let magic = "megaphone-spool 1"

    /// The spool beside a send log: `NAME.sendlog.jsonl` → `NAME.spool`.
    public static func path(forLog log: String) -> String {
        CampaignFiles.spool(forLog: log)
    }
}

/// Writes a spool to a temporary name, in large buffered writes; `commit` adds the
/// `end` line and renames it into place. Memory stays flat however many messages.
final class SpoolWriter {
    let path: String
    let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var count = 0
    private static let flushSize = 1 << 20

    init(path: String, campaign: String) throws(SpoolError) {
        self.path = path
        temporaryPath = path + ".tmp"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SpoolError(.unwritable, path: temporaryPath, reason: String(cString: strerror(errno))) }
        buffer.reserveCapacity(Self.flushSize * 2)
        buffer += Array("\(Spool.magic) \(SpoolEntry.escape(campaign))\n".utf8)
    }

    deinit {
        if descriptor >= 0 { abort() }
    }

    func append(_ entry: SpoolEntry) throws(SpoolError) {
        buffer += entry.headerLine
        buffer += entry.bytes
        buffer.append(0x0A)
        count += 1
        if buffer.count >= Self.flushSize { try flush() }
    }

    private func flush() throws(SpoolError) {
        do { try DurableWrite.writeAll(buffer, to: descriptor) } catch {
            throw SpoolError(.unwritable, path: temporaryPath, reason: error.reason)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Ends the spool and moves it into place, replacing an earlier one.
    func commit() throws(SpoolError) {
        buffer += Array("end \(count)\n".utf8)
        try flush()
        close(descriptor)
        descriptor = -1
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw SpoolError(.unwritable, path: path, reason: reason)
        }
    }

    /// Drops what was written.
    func abort() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporaryPath)
    }
}

/// Reads a spool back, one message at a time, in large buffered reads.
final class SpoolReader {
    let path: String
    private(set) var campaign = ""
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private var finished = false
    private var read = 0

    /// Opens a spool; nil when there is none.
    init?(path: String) throws(SpoolError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw SpoolError(.damaged, path: path, reason: String(cString: strerror(errno)))
        }
        // Every property is set by now, so a throw below still runs `deinit`, which closes it.
        guard let first = try line(), first.hasPrefix(Spool.magic + " ") else {
            throw SpoolError(.damaged, path: path, reason: "it does not start with '\(Spool.magic)'")
        }
        campaign = SpoolEntry.unescape(first.dropFirst(Spool.magic.count + 1))
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    private func fill() throws(SpoolError) {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let chunk = 1 << 20
        let old = buffer.count
        buffer += [UInt8](repeating: 0, count: chunk)
        var got = -1
        while got < 0 {
            got = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress! + old, chunk) }
            if got < 0, errno != EINTR { throw SpoolError(.damaged, path: path, reason: String(cString: strerror(errno))) }
        }
        buffer.removeLast(chunk - got)
        if got == 0 { atEnd = true }
    }

    private func line() throws(SpoolError) -> String? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let text = String(decoding: buffer[start..<newline], as: UTF8.self)
                start = newline + 1
                return text
            }
            if atEnd { return nil }
            try fill()
        }
    }

    private func bytes(_ count: Int) throws(SpoolError) -> [UInt8]? {
        while buffer.count - start < count + 1 {
            if atEnd { return nil }
            try fill()
        }
        let bytes = Array(buffer[start..<(start + count)])
        guard buffer[start + count] == 0x0A else { return nil }
        start += count + 1
        return bytes
    }

    /// The next message, its bytes hashed again and compared (unless `verifying` is
    /// false: only the header is wanted); nil after the `end` line.
    func next(verifying: Bool = true) throws(SpoolError) -> SpoolEntry? {
        guard !finished else { return nil }
        guard let header = try line() else { throw SpoolError(.damaged, path: path, reason: "it ends without its 'end' line, after \(read) messages") }
        if header.hasPrefix("end ") {
            guard Int(header.dropFirst(4)) == read else { throw SpoolError(.damaged, path: path, reason: "its end line says '\(header)' after \(read) messages") }
            finished = true
            return nil
        }
        let fields = header.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count >= 7, let number = Int(fields[0]), let length = Int(fields[1]), length >= 0 else {
            throw SpoolError(.damaged, path: path, reason: "message \(read + 1)'s header line cannot be read")
        }
        guard let bytes = try bytes(length) else { throw SpoolError(.damaged, path: path, reason: "message \(number) is cut short") }
        let hash = String(fields[2])
        guard !verifying || SendRun.fingerprint(bytes) == hash else {
            throw SpoolError(.damaged, path: path, reason: "message \(number)'s bytes differ from those checked")
        }
        read += 1
        return SpoolEntry(number: number, key: SpoolEntry.unescape(fields[3]), messageID: SpoolEntry.unescape(fields[4]),
                          envelopeFrom: SpoolEntry.unescape(fields[5]), recipients: fields[6...].map(SpoolEntry.unescape),
                          hash: hash, bytes: bytes)
    }
}
