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

    private static let asctime: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE MMM d HH:mm:ss yyyy"
        return formatter
    }()

    /// Appends one message; `envelopeFrom` goes on its `From ` separator line.
    public func append(_ bytes: [UInt8], envelopeFrom: String, date: Date) throws(OutputError) {
        var output = Array("From \(envelopeFrom) \(Self.asctime.string(from: date))\n".utf8)
        output.reserveCapacity(bytes.count + 64)
        var lineStart = true
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if lineStart {
                // mboxrd: a line that is '>'* then "From " gets one more '>'.
                var probe = index
                while probe < bytes.count, bytes[probe] == UInt8(ascii: ">") { probe += 1 }
                if probe + 5 <= bytes.count, bytes[probe] == 0x46, bytes[probe + 1] == 0x72, bytes[probe + 2] == 0x6F,
                   bytes[probe + 3] == 0x6D, bytes[probe + 4] == 0x20 {   // "From "
                    output.append(UInt8(ascii: ">"))
                }
            }
            if byte == 13, index + 1 < bytes.count, bytes[index + 1] == 10 {
                index += 1
                continue
            }
            output.append(byte)
            lineStart = byte == 10
            index += 1
        }
        if output.last != 10 { output.append(10) }
        output.append(10)
        do { try handle.write(contentsOf: output) } catch { throw OutputError(path: path, reason: FileWriting.reason(error)) }
    }

    public func commit() throws(OutputError) {
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
