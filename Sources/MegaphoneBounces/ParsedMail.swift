import Foundation

/// A received message read leniently, as returned mail arrives: headers (unfolded,
/// names lower-cased), the body with its transfer encoding undone, and MIME parts.
/// Good enough to read delivery reports and the headers they quote; not a general
/// MIME library (no RFC 2047 decoding beyond what a subject line needs).
public struct ParsedMail: Sendable {
    /// Header fields in order: lower-cased name, unfolded value.
    public let headers: [(name: String, value: String)]
    /// The body after its Content-Transfer-Encoding is undone.
    public let body: [UInt8]
    /// The MIME type, lower-cased (`text/plain` when none is given).
    public let contentType: String
    /// Content-Type parameters, names lower-cased.
    public let parameters: [String: String]
    /// The parts of a multipart body, in order; empty otherwise.
    public let parts: [ParsedMail]

    public init(_ bytes: [UInt8], depth: Int = 0) {
        let (head, rawBody) = Self.split(bytes)
        headers = Self.headers(head)
        let typeValue = headers.first { $0.name == "content-type" }?.value ?? "text/plain"
        let (type, parameters) = Self.contentType(typeValue)
        contentType = type
        self.parameters = parameters
        let encoding = (headers.first { $0.name == "content-transfer-encoding" }?.value ?? "").lowercased()
            .trimmingCharacters(in: .whitespaces)
        if type.hasPrefix("multipart/"), let boundary = parameters["boundary"], depth < 8 {
            body = rawBody
            parts = Self.parts(rawBody, boundary: boundary).map { ParsedMail($0, depth: depth + 1) }
        } else {
            body = Self.decode(rawBody, encoding: encoding)
            parts = []
        }
    }

    /// The first value of a header, such as `header("message-id")`.
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name.lowercased() }?.value
    }

    /// This part and every part inside it, depth first.
    public var allParts: [ParsedMail] {
        [self] + parts.flatMap(\.allParts)
    }

    /// The body as text (UTF-8, or Latin-1 when it is not valid UTF-8).
    public var text: String {
        String(validating: body, as: UTF8.self) ?? String(decoding: body.map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }

    /// The subject, with RFC 2047 words decoded where they are simple.
    public var subject: String { EncodedWords.decode(header("subject") ?? "") }

    static func split(_ bytes: [UInt8]) -> (ArraySlice<UInt8>, [UInt8]) {
        var index = 0
        while index < bytes.count {
            if bytes[index] == 10 {
                if index + 1 < bytes.count, bytes[index + 1] == 10 { return (bytes[..<index], Array(bytes[(index + 2)...])) }
                if index + 2 < bytes.count, bytes[index + 1] == 13, bytes[index + 2] == 10 { return (bytes[..<index], Array(bytes[(index + 3)...])) }
            }
            index += 1
        }
        return (bytes[...], [])
    }

    /// Header fields from a head's bytes: lines split at LF (a CR before it dropped),
    /// continuation lines joined with one space, names lower-cased. Byte by byte: a
    /// mailbox of returned mail is thousands of these.
    static func headers(_ head: ArraySlice<UInt8>) -> [(name: String, value: String)] {
        var fields: [(name: [UInt8], value: [UInt8])] = []
        var lineStart = head.startIndex
        var index = head.startIndex
        while index <= head.endIndex {
            guard index == head.endIndex || head[index] == 10 else {
                index += 1
                continue
            }
            let line = trim(head[lineStart..<index])
            let raw = head[lineStart..<index]
            lineStart = index + 1
            index += 1
            guard !line.isEmpty else { continue }
            if let first = raw.first, first == 32 || first == 9 {
                if !fields.isEmpty {
                    fields[fields.count - 1].value.append(32)
                    fields[fields.count - 1].value += line
                }
                continue
            }
            guard let colon = line.firstIndex(of: 58) else { continue }
            let name = trim(line[..<colon]).map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
            fields.append((name, Array(trim(line[(colon + 1)...]))))
        }
        return fields.map { (String(decoding: $0.name, as: UTF8.self), String(decoding: $0.value, as: UTF8.self)) }
    }

    /// Without spaces, tabs and CRs at either end.
    static func trim(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, first == 32 || first == 9 || first == 13 { slice = slice.dropFirst() }
        while let last = slice.last, last == 32 || last == 9 || last == 13 { slice = slice.dropLast() }
        return slice
    }

    /// The blocks of field lines in a body, split at blank lines (a delivery report's
    /// per-message and per-recipient fields).
    static func blocks(_ body: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var blockStart = 0
        var lineStart = 0
        var index = 0
        while index <= body.count {
            if index == body.count || body[index] == 10 {
                if trim(body[lineStart..<index]).isEmpty {
                    if lineStart > blockStart { result.append(body[blockStart..<lineStart]) }
                    blockStart = index + 1
                }
                lineStart = index + 1
            }
            index += 1
        }
        if blockStart < body.count { result.append(body[blockStart...]) }
        return result
    }

    static func contentType(_ value: String) -> (String, [String: String]) {
        let pieces = value.split(separator: ";", omittingEmptySubsequences: true)
        let type = (pieces.first.map(String.init) ?? "text/plain").trimmingCharacters(in: .whitespaces).lowercased()
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var raw = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if raw.hasPrefix("\""), raw.hasSuffix("\""), raw.count >= 2 { raw = String(raw.dropFirst().dropLast()) }
            parameters[name] = raw
        }
        return (type, parameters)
    }

    static func parts(_ body: [UInt8], boundary: String) -> [[UInt8]] {
        let marker = Array(("--" + boundary).utf8)
        var result: [[UInt8]] = []
        var start: Int? = nil
        var lineStart = 0
        var index = 0
        while index <= body.count {
            if index == body.count || body[index] == 10 {
                var line = body[lineStart..<index]
                if line.last == 13 { line = line.dropLast() }
                if line.starts(with: marker) {
                    if let start, lineStart > start {
                        var end = lineStart
                        // The line break before a boundary belongs to the boundary.
                        if end > start, body[end - 1] == 10 { end -= 1 }
                        if end > start, body[end - 1] == 13 { end -= 1 }
                        result.append(Array(body[start..<end]))
                    }
                    if line.dropFirst(marker.count).starts(with: [45, 45]) { return result }
                    start = index + 1
                }
                lineStart = index + 1
            }
            index += 1
        }
        if let start, start < body.count { result.append(Array(body[start...])) }
        return result
    }

    static func decode(_ body: [UInt8], encoding: String) -> [UInt8] {
        switch encoding {
        case "base64":
            let text = String(decoding: body.filter { $0 > 32 }, as: UTF8.self)
            return Data(base64Encoded: text, options: .ignoreUnknownCharacters).map { [UInt8]($0) } ?? body
        case "quoted-printable":
            var out: [UInt8] = []
            var index = 0
            func hex(_ byte: UInt8) -> UInt8? {
                switch byte {
                case 48...57: byte - 48
                case 65...70: byte - 55
                case 97...102: byte - 87
                default: nil
                }
            }
            while index < body.count {
                let byte = body[index]
                if byte == UInt8(ascii: "="), index + 1 < body.count {
                    if body[index + 1] == 10 { index += 2; continue }
                    if body[index + 1] == 13, index + 2 < body.count, body[index + 2] == 10 { index += 3; continue }
                    if index + 2 < body.count, let high = hex(body[index + 1]), let low = hex(body[index + 2]) {
                        out.append(high << 4 | low)
                        index += 3
                        continue
                    }
                }
                out.append(byte)
                index += 1
            }
            return out
        default:
            return body
        }
    }
}

/// RFC 2047 encoded words (`=?utf-8?B?…?=`, `=?utf-8?Q?…?=`), for subjects shown to people.
enum EncodedWords {
    static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        var result = ""
        var rest = Substring(text)
        var lastWasWord = false
        while let start = rest.range(of: "=?") {
            let before = rest[..<start.lowerBound]
            let afterStart = rest[start.upperBound...]
            let pieces = afterStart.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
            guard pieces.count == 4, pieces[3].hasPrefix("="), let decoded = word(String(pieces[1]), String(pieces[2])) else {
                result += rest[..<start.upperBound]
                rest = afterStart
                lastWasWord = false
                continue
            }
            // White space between two encoded words is dropped (RFC 2047 §6.2).
            if !(lastWasWord && before.allSatisfy(\.isWhitespace)) { result += before }
            result += decoded
            lastWasWord = true
            rest = pieces[3].dropFirst()
        }
        return result + rest
    }

    private static func word(_ encoding: String, _ payload: String) -> String? {
        let bytes: [UInt8]
        switch encoding.lowercased() {
        case "b": bytes = ParsedMail.decode(Array(payload.utf8), encoding: "base64")
        case "q": bytes = ParsedMail.decode(Array(payload.replacingOccurrences(of: "_", with: " ").utf8), encoding: "quoted-printable")
        default: return nil
        }
        return String(validating: bytes, as: UTF8.self) ?? String(decoding: bytes, as: UTF8.self)
    }
}
