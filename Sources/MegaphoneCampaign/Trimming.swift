import Foundation

extension StringProtocol where UTF8View: BidirectionalCollection {
    /// The text without leading and trailing white space (Foundation's `.whitespaces`:
    /// tab and the Unicode space separators). Text that starts and ends with a
    /// printable ASCII character, as nearly every CSV field does, is returned
    /// without asking Foundation, which costs microseconds a call.
    var trimmingSpaces: String {
        guard let first = utf8.first, let last = utf8.last else { return "" }
        func plain(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
        if plain(first) && plain(last) { return String(self) }
        return trimmingCharacters(in: .whitespaces)
    }
}
