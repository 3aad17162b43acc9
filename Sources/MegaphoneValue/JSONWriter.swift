/// The one JSON writer, beside the reader (`JSONParser`): strings quoted per RFC 8259
/// (quotes, backslashes and control characters escaped, and U+2028/U+2029, which some
/// readers take for line ends), and flat objects and arrays of strings — for the JSON
/// Lines files Megaphone writes and the fields the signature store keeps.
public enum JSONWriter {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    public static func quote(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var utf8 = text.utf8.makeIterator()
        var pending: [UInt8] = []   // the first bytes of a possible U+2028/U+2029
        while let byte = utf8.next() {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), byte])
            case UInt8(ascii: "\\"): out.append(contentsOf: [byte, byte])
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20: escape(UInt32(byte), into: &out)
            case 0xE2:
                // U+2028 and U+2029 (E2 80 A8/A9) are escaped: some JSON readers treat them as newlines.
                pending = [byte]
                if let second = utf8.next() {
                    pending.append(second)
                    if second == 0x80, let third = utf8.next() {
                        if third == 0xA8 || third == 0xA9 {
                            escape(third == 0xA8 ? 0x2028 : 0x2029, into: &out)
                            pending = []
                            continue
                        }
                        pending.append(third)
                    }
                }
                out.append(contentsOf: pending)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func escape(_ value: UInt32, into out: inout [UInt8]) {
        out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u")])
        for shift in stride(from: 12, through: 0, by: -4) { out.append(hexDigits[Int((value >> UInt32(shift)) & 0xf)]) }
    }

    /// `{"key":"value",…}` with the keys sorted, so equal objects are equal text.
    public static func object(_ fields: [String: String]) -> String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (index, key) in fields.keys.sorted().enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            quote(key, into: &out)
            out.append(UInt8(ascii: ":"))
            quote(fields[key] ?? "", into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// `["item",…]`.
    public static func array(_ items: [String]) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            quote(item, into: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }
}
