import Crypto

/// SHA-256 digests written as lowercase hex, and random bytes, both from
/// swift-crypto: message fingerprints, deterministic Message-IDs, outbox names,
/// and the raw material of every token. Callers see bytes and strings only.
public enum CryptoText {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The SHA-256 of `bytes`, as 64 hex digits.
    public static func sha256<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var hasher = SHA256()
        update(&hasher, bytes)
        return hex(hasher.finalize())
    }

    /// The SHA-256 of several pieces one after another (no separators added).
    public static func sha256(pieces: [[UInt8]]) -> [UInt8] {
        var hasher = SHA256()
        for piece in pieces { piece.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
        return Array(hasher.finalize())
    }

    static func update<Bytes: Collection>(_ hasher: inout SHA256, _ bytes: Bytes) where Bytes.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
        }
        if done == nil { Array(bytes).withUnsafeBytes { hasher.update(bufferPointer: $0) } }
    }

    /// Bytes as lowercase hex, two digits each.
    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Hex digits back to bytes; nil if `text` is not an even run of hex digits.
    public static func bytes(fromHex text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    /// `count` bytes from swift-crypto's cryptographically secure generator.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            let key = SymmetricKey(size: .bits256)
            key.withUnsafeBytes { out.append(contentsOf: $0.prefix(count - out.count)) }
        }
        return out
    }
}
