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
        var plain = true
        var lineLength = 0
        for byte in input {
            if byte == 13 || byte == 10 {
                lineLength = 0
                continue
            }
            lineLength += 1
            if lineLength > 998 || !((byte >= 0x20 && byte < 0x7F) || byte == 9) {
                plain = false
                break
            }
        }
        // At most 3 bytes out per byte in, a 3-byte soft break per 73 bytes out, and CR LF for a bare CR or LF.
        let capacity = input.count * 4 + 16
        let output = [UInt8](unsafeUninitializedCapacity: capacity) { out, written in
            var at = 0
            literal.withUnsafeBufferPointer { literal in
                hex.withUnsafeBufferPointer { hex in
                    var start = 0
                    var index = 0
                    while true {
                        // A line ends at CR, LF, CRLF or the end of the text.
                        while index < input.count, input[index] != 13, input[index] != 10 { index += 1 }
                        if plain {
                            for offset in start..<index { out[at] = input[offset]; at += 1 }
                        } else {
                            encodeLine(UnsafeBufferPointer(rebasing: input[start..<index]), literal: literal, hex: hex, into: out, at: &at)
                        }
                        guard index < input.count else { break }
                        out[at] = 13
                        out[at + 1] = 10
                        at += 2
                        if input[index] == 13, index + 1 < input.count, input[index + 1] == 10 { index += 1 }
                        index += 1
                        start = index
                    }
                }
            }
            written = at
        }
        return (output, plain ? .sevenBit : .quotedPrintable)
    }

    private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Printable ASCII but '=': the bytes written as themselves (space and tab too, but not at a line's end).
    private static let literal: [Bool] = (0...255).map { byte in (byte >= 33 && byte <= 126 && byte != 61) || byte == 9 || byte == 32 }

    private static func encodeLine(_ line: UnsafeBufferPointer<UInt8>, literal: UnsafeBufferPointer<Bool>, hex: UnsafeBufferPointer<UInt8>,
                                   into out: UnsafeMutableBufferPointer<UInt8>, at: inout Int) {
        var length = 0
        let last = line.count - 1
        // "From " at a line start is encoded so mbox readers never mistake it for a separator.
        let protectFrom = line.count >= 5 && line[0] == 0x46 && line[1] == 0x72 && line[2] == 0x6F && line[3] == 0x6D && line[4] == 0x20
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
    }
}
