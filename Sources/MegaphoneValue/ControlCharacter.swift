/// The control characters a letter must not carry: C0 controls other than tab and
/// line breaks (NUL, ESC, backspace…), DEL, and the C1 controls U+0080–U+009F.
/// Mail readers show them as boxes or nothing, terminals act on them, and a NUL
/// goes out as `=00` in a quoted-printable body.
public enum ControlCharacter {
    /// The first forbidden character in UTF-8 `bytes`, and the count of characters before it
    /// (for a column); nil when there is none. A quick byte scan: C1 controls are `C2 80`–`C2 9F`.
    public static func first<Bytes: Collection>(in bytes: Bytes) -> (scalar: Unicode.Scalar, offset: Int)? where Bytes.Element == UInt8 {
        var previous: UInt8 = 0
        var found: Unicode.Scalar? = nil
        var byteOffset = 0
        for byte in bytes {
            if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D {
                found = Unicode.Scalar(byte)
            } else if byte == 0x7F {
                found = Unicode.Scalar(byte)
            } else if previous == 0xC2, (0x80...0x9F).contains(byte) {
                found = Unicode.Scalar(byte)
                byteOffset -= 1
            }
            if let found {
                let before = String(decoding: bytes.prefix(byteOffset), as: UTF8.self).unicodeScalars.count
                return (found, before)
            }
            previous = byte
            byteOffset += 1
        }
        return nil
    }

    /// Whether `text` holds one: a tight scan of its UTF-8, run on every rendered letter.
    public static func occurs(in text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = base[index]
                index += 1
                if byte >= 0x20, byte != 0x7F, byte != 0xC2 { continue }
                if byte < 0x20 {
                    if byte != 0x09, byte != 0x0A, byte != 0x0D { return true }
                } else if byte == 0x7F {
                    return true
                } else if index < count, (0x80...0x9F).contains(base[index]) {
                    return true   // C2 80–9F: a C1 control
                }
            }
            return false
        }
    }

    /// A name a person can look up: `ESC (U+001B)`, `a C1 control (U+0085)`.
    public static func name(_ scalar: Unicode.Scalar) -> String {
        let names: [UInt32: String] = [0x00: "NUL", 0x07: "BEL", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed",
                                       0x1B: "ESC", 0x7F: "DEL"]
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        if let name = names[scalar.value] { return "\(name) (\(code))" }
        return scalar.value >= 0x80 ? "a C1 control (\(code))" : "a control character (\(code))"
    }

    /// What to do about it, for error messages.
    public static let advice = "a letter cannot show it (it often comes from copying out of another program or a broken export): delete it from the data"
}
