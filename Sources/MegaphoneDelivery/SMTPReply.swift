/// A reply from an SMTP server: its code, enhanced status code (RFC 3463) if any, and text.
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public let code: Int
    /// Such as `5.1.1`; nil when the server gave none.
    public let enhanced: String?
    public let text: String

    public init(code: Int, enhanced: String?, text: String) {
        self.code = code
        self.enhanced = enhanced
        self.text = text
    }

    /// Parses the lines of one reply (`250-…` continuation lines, then `250 …`).
    init?(lines: [String]) {
        guard let last = lines.last, last.count >= 3, let code = Int(last.prefix(3)) else { return nil }
        var texts: [String] = []
        var enhanced: String? = nil
        for line in lines {
            var text = line.count > 4 ? String(line.dropFirst(4)) : ""
            let first = text.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
            let parts = first.split(separator: ".")
            if parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }), first.first == last.first {
                enhanced = enhanced ?? first
                var rest = text.dropFirst(first.count).drop { $0 == " " || $0 == "\t" }
                while let end = rest.last, end == " " || end == "\t" { rest = rest.dropLast() }
                text = String(rest)
            }
            texts.append(text)
        }
        self.init(code: code, enhanced: enhanced, text: texts.joined(separator: " "))
    }

    public var description: String {
        [String(code), enhanced, text.isEmpty ? nil : text].compactMap { $0 }.joined(separator: " ")
    }
}

import Foundation
