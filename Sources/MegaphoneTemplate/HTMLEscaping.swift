/// The one HTML escaping: `&`, `<`, `>`, `"` and `'` as entities, everything else as it is.
/// The renderer uses it for `{{name}}` in HTML templates; other HTML writers (the
/// signers' printable list) call it too.
public enum HTMLEscaping {
    public static func append(_ text: String, to buffer: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): buffer.append(contentsOf: [38, 97, 109, 112, 59])            // &amp;
            case UInt8(ascii: "<"): buffer.append(contentsOf: [38, 108, 116, 59])                // &lt;
            case UInt8(ascii: ">"): buffer.append(contentsOf: [38, 103, 116, 59])                // &gt;
            case UInt8(ascii: "\""): buffer.append(contentsOf: [38, 113, 117, 111, 116, 59])     // &quot;
            case UInt8(ascii: "'"): buffer.append(contentsOf: [38, 35, 51, 57, 59])              // &#39;
            default: buffer.append(byte)
            }
        }
    }

    public static func escape(_ text: String) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(text.utf8.count)
        append(text, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
