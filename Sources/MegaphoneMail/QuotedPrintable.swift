import Foundation

/// Body encodings: 7bit when the text is plain ASCII with short lines, otherwise
/// quoted-printable (RFC 2045 §6.7). Line breaks always become CRLF.
public enum BodyEncoding: String, Sendable {
    case sevenBit = "7bit"
    case quotedPrintable = "quoted-printable"
    case base64 = "base64"
}

enum QuotedPrintable {
    /// Encodes text for a body part, choosing 7bit when it is safe. Line breaks (CRLF,
    /// CR or LF) become CRLF either way.
    static func encodeBody(_ text: String) -> (bytes: [UInt8], encoding: BodyEncoding) {
        var text = text
        return text.withUTF8 { encodeBody($0) }
    }

    static func encodeBody(_ input: UnsafeBufferPointer<UInt8>) -> (bytes: [UInt8], encoding: BodyEncoding) {
        guard let base = input.baseAddress, !input.isEmpty else { return ([], .sevenBit) }
        let count = input.count
        let (plainBytes, hasCR) = scan(base, count)
        var plain = plainBytes
        // The common letter: printable ASCII, LF line breaks, lines within 998 octets:
        // copied a line at a time with CRLF for each LF.
        if plain, !hasCR {
            var lineCount = 1
            var longest = 0
            var cursor = 0
            while cursor < count, let found = memchr(base + cursor, 10, count - cursor) {
                let end = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
                longest = max(longest, end - cursor)
                lineCount += 1
                cursor = end + 1
            }
            longest = max(longest, count - cursor)
            if longest <= 998 {
                let output = [UInt8](unsafeUninitializedCapacity: count + lineCount) { out, written in
                    var at = 0
                    var cursor = 0
                    let target = out.baseAddress!
                    while cursor < count, let found = memchr(base + cursor, 10, count - cursor) {
                        let end = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
                        (target + at).update(from: base + cursor, count: end - cursor)
                        at += end - cursor
                        target[at] = 13
                        target[at + 1] = 10
                        at += 2
                        cursor = end + 1
                    }
                    (target + at).update(from: base + cursor, count: count - cursor)
                    written = at + count - cursor
                }
                return (output, .sevenBit)
            }
            plain = false   // a line too long for 7bit
        } else if plain {
            // With CRs, a line may also end at a CR: measure lines byte by byte.
            var lineLength = 0
            for byte in input {
                lineLength = byte == 13 || byte == 10 ? 0 : lineLength + 1
                if lineLength > 998 { plain = false; break }
            }
        }
        // At most 3 bytes out per byte in, a 3-byte soft break per 73 bytes out, and CR LF for a bare CR or LF.
        let output = [UInt8](unsafeUninitializedCapacity: count * 4 + 16) { out, written in
            written = encodeLines(input, plain: plain, into: out.baseAddress!)
        }
        return (output, plain ? .sevenBit : .quotedPrintable)
    }

    /// Whether every byte is printable ASCII, tab, CR or LF (eight bytes a step), and whether a CR occurs.
    private static func scan(_ base: UnsafePointer<UInt8>, _ count: Int) -> (plain: Bool, hasCR: Bool) {
        var hasCR = false
        var index = 0
        let high: UInt64 = 0x8080_8080_8080_8080
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            // A byte at or above 0x80, below 0x20, or equal to 0x7F flags its word for a closer look.
            let belowSpace = (word &- 0x2020_2020_2020_2020) & ~word & high
            let isDelete = ((word ^ 0x7F7F_7F7F_7F7F_7F7F) &- 0x0101_0101_0101_0101) & ~(word ^ 0x7F7F_7F7F_7F7F_7F7F) & high
            if (word & high) | belowSpace | isDelete != 0 {
                for offset in 0..<8 {
                    let byte = base[index + offset]
                    if byte == 13 { hasCR = true } else if !(byte == 9 || byte == 10 || (byte >= 0x20 && byte < 0x7F)) { return (false, hasCR) }
                }
            }
            index += 8
        }
        while index < count {
            let byte = base[index]
            if byte == 13 { hasCR = true } else if !(byte == 9 || byte == 10 || (byte >= 0x20 && byte < 0x7F)) { return (false, hasCR) }
            index += 1
        }
        return (true, hasCR)
    }

    nonisolated(unsafe) private static let hex: UnsafePointer<UInt8> = {   // written once, then only read
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 16)
        for (index, byte) in "0123456789ABCDEF".utf8.enumerated() { table[index] = byte }
        return UnsafePointer(table)
    }()

    /// Printable ASCII but '=', with space and tab: the bytes written as themselves (white space not at a line's end).
    nonisolated(unsafe) private static let literal: UnsafePointer<Bool> = {   // written once, then only read
        let table = UnsafeMutablePointer<Bool>.allocate(capacity: 256)
        for byte in 0...255 { table[byte] = (byte >= 33 && byte <= 126 && byte != 61) || byte == 9 || byte == 32 }
        return UnsafePointer(table)
    }()

    /// Every line, its break (CRLF, CR or LF) written as CRLF; copied when `plain`, else quoted-printable.
    private static func encodeLines(_ input: UnsafeBufferPointer<UInt8>, plain: Bool, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var at = 0
        var start = 0
        var index = 0
        while true {
            // A line ends at CR, LF, CRLF or the end of the text.
            while index < input.count, input[index] != 13, input[index] != 10 { index += 1 }
            if plain {
                for offset in start..<index {
                    out[at] = input[offset]
                    at += 1
                }
            } else {
                at = encodeLine(UnsafeBufferPointer(rebasing: input[start..<index]), into: out, at: at)
            }
            guard index < input.count else { return at }
            out[at] = 13
            out[at + 1] = 10
            at += 2
            if input[index] == 13, index + 1 < input.count, input[index + 1] == 10 { index += 1 }
            index += 1
            start = index
        }
    }

    private static func encodeLine(_ line: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>, at start: Int) -> Int {
        var at = start
        var length = 0
        let last = line.count - 1
        // "From " at a line start is encoded so mbox readers never mistake it for a separator.
        let protectFrom = line.count >= 5 && line[0] == 0x46 && line[1] == 0x72 && line[2] == 0x6F && line[3] == 0x6D && line[4] == 0x20
        let literal = Self.literal, hex = Self.hex
        for index in 0..<line.count {
            let byte = line[index]
            var isLiteral = literal[Int(byte)]
            if index == last, byte == 9 || byte == 32 { isLiteral = false }   // white space at a line end is encoded
            if index == 0, protectFrom { isLiteral = false }
            let width = isLiteral ? 1 : 3
            // Keep each line at 76 characters or fewer, counting the soft break's '='.
            let remainingAfter = index == last ? 0 : 1
            if length + width + remainingAfter > 76 {
                out[at] = UInt8(ascii: "=")
                out[at + 1] = 13
                out[at + 2] = 10
                at += 3
                length = 0
            }
            if isLiteral {
                out[at] = byte
                at += 1
            } else {
                out[at] = UInt8(ascii: "=")
                out[at + 1] = hex[Int(byte >> 4)]
                out[at + 2] = hex[Int(byte & 0x0F)]
                at += 3
            }
            length += width
        }
        return at
    }
}
