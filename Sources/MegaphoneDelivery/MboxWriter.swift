public import Foundation

/// Writes an mbox file (mboxrd: `From ` lines quoted with `>`, LF line endings),
/// streaming to a temporary file that replaces the target only when committed.
public final class MboxWriter {
    public let path: String
    private let temporary: String
    private let handle: FileHandle

    public init(path: String) throws(OutputError) {
        self.path = path
        temporary = path + ".megaphone-partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw OutputError(path: path, reason: "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        self.handle = handle
    }

    /// Output waiting to be written: one write(2) per quarter megabyte, not per message.
    private var buffer: [UInt8] = []
    private static let flushSize = 1 << 18
    /// The last separator date, formatted: every message of a run usually has the same second.
    private var lastDate: (seconds: Int, text: [UInt8])?

    /// `Thu Nov 27 16:45:52 2026` (asctime, UTC), as mbox separator lines carry it.
    static func asctime(_ date: Date) -> [UInt8] {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let text = "\(days[Int(parts.tm_wday)]) \(months[Int(parts.tm_mon)]) \(parts.tm_mday) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) \(parts.tm_year + 1900)"
        return Array(text.utf8)
    }

    /// Appends one message; `envelopeFrom` goes on its `From ` separator line.
    public func append(_ bytes: [UInt8], envelopeFrom: String, date: Date) throws(OutputError) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        if lastDate?.seconds != seconds { lastDate = (seconds, Self.asctime(date)) }
        buffer.append(contentsOf: "From \(envelopeFrom) ".utf8)
        buffer.append(contentsOf: lastDate?.text ?? [])
        buffer.append(10)
        bytes.withUnsafeBufferPointer { message in
            var lineStart = 0
            while lineStart < message.count {
                // One line at a time: CR LF becomes LF; mboxrd: a line that is '>'* then
                // "From " gets one more '>'.
                var probe = lineStart
                while probe < message.count, message[probe] == UInt8(ascii: ">") { probe += 1 }
                if probe + 5 <= message.count, message[probe] == 0x46, message[probe + 1] == 0x72, message[probe + 2] == 0x6F,
                   message[probe + 3] == 0x6D, message[probe + 4] == 0x20 {   // "From "
                    buffer.append(UInt8(ascii: ">"))
                }
                var end = message.count
                if let base = message.baseAddress, let found = memchr(base + lineStart, 10, message.count - lineStart) {
                    end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                }
                if end < message.count {
                    let contentEnd = end > lineStart && message[end - 1] == 13 ? end - 1 : end
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: message[lineStart..<contentEnd]))
                    buffer.append(10)
                } else {
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: message[lineStart..<end]))
                }
                lineStart = end + 1
            }
        }
        if buffer.last != 10 { buffer.append(10) }
        buffer.append(10)
        if buffer.count >= Self.flushSize { try flush() }
    }

    private func flush() throws(OutputError) {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch { throw OutputError(path: path, reason: FileWriting.reason(error)) }
        buffer.removeAll(keepingCapacity: true)
    }

    public func commit() throws(OutputError) {
        try flush()
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw OutputError(path: path, reason: FileWriting.reason(error))
        }
        try FileWriting.rename(temporary, to: path)
    }

    public func abort() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporary)
    }
}
