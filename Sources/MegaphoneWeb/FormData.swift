/// A form body (`application/x-www-form-urlencoded`) as name → values, in order.
/// Invalid percent-escapes or UTF-8 make the whole body unusable, not half-read.
struct FormData: Sendable {
    private(set) var pairs: [(name: String, value: String)] = []

    struct Invalid: Error {}

    init(_ body: [UInt8]) throws(Invalid) {
        var start = 0
        func field(_ slice: ArraySlice<UInt8>) throws(Invalid) {
            guard !slice.isEmpty else { return }
            if let equals = slice.firstIndex(of: UInt8(ascii: "=")) {
                pairs.append((try Self.decode(slice[slice.startIndex..<equals]), try Self.decode(slice[(equals + 1)...])))
            } else {
                pairs.append((try Self.decode(slice), ""))
            }
        }
        for (index, byte) in body.enumerated() where byte == UInt8(ascii: "&") {
            try field(body[start..<index])
            start = index + 1
        }
        try field(body[start...])
    }

    init(pairs: [(String, String)]) {
        self.pairs = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// The first value of `name`.
    subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Every value of `name` (a multiple choice).
    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    private static func decode(_ bytes: ArraySlice<UInt8>) throws(Invalid) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) else { throw Invalid() }
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        guard let text = String(validating: out, as: UTF8.self) else { throw Invalid() }
        return text
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
