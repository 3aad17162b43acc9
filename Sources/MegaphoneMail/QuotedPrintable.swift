/// Body encodings: 7bit when the text is plain ASCII with short lines, otherwise
/// quoted-printable (RFC 2045 §6.7). Line breaks always become CRLF.
public enum BodyEncoding: String, Sendable {
    case sevenBit = "7bit"
    case quotedPrintable = "quoted-printable"
    case base64 = "base64"
}

enum QuotedPrintable {
    /// Splits text into lines at CRLF, CR or LF.
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 13 || byte == 10 {
                result.append(bytes[start..<index])
                if byte == 13, index + 1 < bytes.count, bytes[index + 1] == 10 { index += 1 }
                start = index + 1
            }
            index += 1
        }
        result.append(bytes[start..<bytes.count])
        return result
    }

    /// Encodes text for a body part, choosing 7bit when it is safe.
    static func encodeBody(_ text: String) -> (bytes: [UInt8], encoding: BodyEncoding) {
        let utf8 = Array(text.utf8)
        let split = lines(utf8)
        let plain = utf8.allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || $0 == 9 || $0 == 10 || $0 == 13 }
            && split.allSatisfy { $0.count <= 998 }
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count + utf8.count / 8 + 2)
        if plain {
            for (index, line) in split.enumerated() {
                output += line
                if index < split.count - 1 { output += [13, 10] }
            }
            return (output, .sevenBit)
        }
        for (index, line) in split.enumerated() {
            encodeLine(line, into: &output)
            if index < split.count - 1 { output += [13, 10] }
        }
        return (output, .quotedPrintable)
    }

    private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func encodeLine(_ line: ArraySlice<UInt8>, into output: inout [UInt8]) {
        var length = 0
        let last = line.endIndex - 1
        for index in line.indices {
            let byte = line[index]
            let literal: Bool
            if byte == 9 || byte == 32 {
                literal = index != last           // white space at a line end is encoded
            } else {
                literal = byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")
            }
            // "From " at a line start is encoded so mbox readers never mistake it for a separator.
            let protectFrom = index == line.startIndex && byte == 0x46 && line.count >= 5
                && line[index + 1] == 0x72 && line[index + 2] == 0x6F && line[index + 3] == 0x6D && line[index + 4] == 0x20   // "From "
            let width = literal && !protectFrom ? 1 : 3
            // Keep each line at 76 characters or fewer, counting the soft break's '='.
            let remainingAfter = index == last ? 0 : 1
            if length + width + remainingAfter > 76 {
                output += [UInt8(ascii: "="), 13, 10]
                length = 0
            }
            if width == 1 {
                output.append(byte)
            } else {
                output += [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
            length += width
        }
    }
}
