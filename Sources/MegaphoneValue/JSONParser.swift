/// A JSON syntax error with the 1-based line and column where it was found.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(line):\(column): \(message)" }
}

/// Parses JSON (RFC 8259) into `Value`, keeping integers, decimals and booleans
/// distinct and reporting errors by line and column, which Foundation does not.
public struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    private var recordLocations = false
    private var path: [String] = []
    private var locations: [String: Int] = [:]
    private var forbidControls = false

    /// Parses a whole document; a UTF-8 byte order mark at the start is skipped.
    /// With `forbiddingControls`, text holding a control character other than tab
    /// and line breaks (raw DEL or C1, or escaped as `\u0000`, `\b`, `\f`) is an error
    /// at that text: for the data files whose text lands in letters.
    public static func parse(_ bytes: [UInt8], forbiddingControls: Bool = false) throws(JSONSyntaxError) -> Value {
        var parser = JSONParser(bytes: bytes)
        parser.forbidControls = forbiddingControls
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == bytes.count else {
            throw parser.error("unexpected text after the end of the JSON value")
        }
        return value
    }

    public static func parse(_ text: String) throws(JSONSyntaxError) -> Value {
        try parse(Array(text.utf8))
    }

    /// Parses a document and remembers where each value starts, keyed by its path
    /// (`sender.address`, `data[1]`), so later checks can point at the right line.
    public static func parseWithLocations(_ bytes: [UInt8]) throws(JSONSyntaxError) -> (Value, JSONLocations) {
        var parser = JSONParser(bytes: bytes)
        parser.recordLocations = true
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == bytes.count else {
            throw parser.error("unexpected text after the end of the JSON value")
        }
        return (value, JSONLocations(bytes: bytes, offsets: parser.locations))
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        let position = min(offset ?? index, bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<position where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        let column = String(decoding: bytes[lineStart..<position], as: UTF8.self).count + 1
        return JSONSyntaxError(line: line, column: column, message: message)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func describeHere() -> String {
        guard index < bytes.count else { return "the end of the file" }
        let scalar = String(decoding: bytes[index..<min(index + 4, bytes.count)], as: UTF8.self).first.map(String.init) ?? "?"
        return "'\(scalar)'"
    }

    private mutating func parseValue() throws(JSONSyntaxError) -> Value {
        guard index < bytes.count else { throw error("expected a value but the file ends here") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default:
            throw error("expected a value (text in double quotes, a number, true, false, null, [ or {) but found \(describeHere())")
        }
    }

    private mutating func parseLiteral(_ word: String, _ value: Value) throws(JSONSyntaxError) -> Value {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
            throw error("expected '\(word)'; text values need double quotes, as in \"…\"")
        }
        index += expected.count
        return value
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > 512 { throw error("the JSON nests more than 512 levels deep") }
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> Value {
        try enter()
        let open = index
        index += 1
        var members = Object()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw error("this object is never closed; add '}'", at: open) }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a member name in double quotes but found \(describeHere())")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error("expected ':' after the member name \"\(key)\"")
            }
            index += 1
            skipWhitespace()
            if recordLocations {
                path.append(path.isEmpty ? key : "." + key)
                locations[path.joined()] = index
            }
            members[key] = try parseValue()
            if recordLocations { path.removeLast() }
            skipWhitespace()
            guard index < bytes.count else { throw error("this object is never closed; add '}'", at: open) }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return .object(members)
            }
            throw error("expected ',' or '}' after the value of \"\(key)\" but found \(describeHere())")
        }
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> Value {
        try enter()
        let open = index
        index += 1
        var items: [Value] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            if recordLocations {
                path.append("[\(items.count)]")
                locations[path.joined()] = index
            }
            items.append(try parseValue())
            if recordLocations { path.removeLast() }
            skipWhitespace()
            guard index < bytes.count else { throw error("this list is never closed; add ']'", at: open) }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return .array(items)
            }
            throw error("expected ',' or ']' in this list but found \(describeHere())")
        }
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let open = index
        index += 1
        var output: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: output, as: UTF8.self) else {
                    throw error("this text is not valid UTF-8; save the file as UTF-8", at: open)
                }
                if forbidControls, let (scalar, offset) = ControlCharacter.first(in: output) {
                    throw error("this text holds the control character \(ControlCharacter.name(scalar)) as its character \(offset + 1); \(ControlCharacter.advice)", at: open)
                }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): output.append(0x22)
                case UInt8(ascii: "\\"): output.append(0x5C)
                case UInt8(ascii: "/"): output.append(0x2F)
                case UInt8(ascii: "b"): output.append(0x08)
                case UInt8(ascii: "f"): output.append(0x0C)
                case UInt8(ascii: "n"): output.append(0x0A)
                case UInt8(ascii: "r"): output.append(0x0D)
                case UInt8(ascii: "t"): output.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw error("a \\u escape for a surrogate must come in a pair")
                        }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("a \\u escape for a surrogate must come in a pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw error("\\u escape names no character") }
                    output.append(contentsOf: Array(String(unicode).utf8))
                default:
                    throw error("unknown escape '\\\(String(decoding: [escape], as: UTF8.self))' in text; write \\\\ for a backslash", at: index - 2)
                }
            case 0x00..<0x20:
                throw error(byte == 0x0A ? "text in double quotes cannot span lines; write \\n for a line break, or close the quote" :
                            "text in double quotes cannot hold control characters; escape them as \\u00XX")
            default:
                output.append(byte)
                index += 1
            }
        }
        throw error("this text is never closed; add '\"'", at: open)
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("a \\u escape needs four hex digits")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> Value {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        func digits(_ parser: inout JSONParser) -> Int {
            let begin = parser.index
            while parser.index < parser.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(parser.bytes[parser.index]) {
                parser.index += 1
            }
            return parser.index - begin
        }
        let integerDigits = digits(&self)
        guard integerDigits > 0 else { throw error("expected digits after '-'") }
        if integerDigits > 1, bytes[start + (bytes[start] == UInt8(ascii: "-") ? 1 : 0)] == UInt8(ascii: "0") {
            throw error("numbers cannot start with 0; write text in double quotes (\"0123\") to keep a leading zero", at: start)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard digits(&self) > 0 else { throw error("expected digits after the decimal point") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw error("expected digits in the exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let value = Int(text) { return .int(value) }
        guard let value = Double(text) else { throw error("'\(text)' is not a number", at: start) }
        return .double(value)
    }
}

/// Where the values of a parsed JSON document start, by path (`sender.address`, `data[0]`).
public struct JSONLocations: Sendable {
    let bytes: [UInt8]
    let offsets: [String: Int]

    /// The 1-based line and column of the value at `path`, if the document has one.
    public func location(of path: String) -> (line: Int, column: Int)? {
        guard let offset = offsets[path] else { return nil }
        var line = 1
        var lineStart = 0
        for index in 0..<offset where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return (line, String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1)
    }

    /// The text of a 1-based line, for showing under an error.
    public func lineText(_ line: Int) -> String {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return "" }
        var text = String(decoding: lines[line - 1], as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        return text
    }
}
