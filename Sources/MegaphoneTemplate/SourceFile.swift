/// A template's text with its display path, able to turn a byte offset into a
/// line and column for error messages.
public struct SourceFile: Sendable {
    /// The path shown in diagnostics (as the user typed it, or a name such as `<data>`).
    public let path: String
    /// The template text.
    public let text: String
    /// The text as UTF-8 bytes; offsets in tokens index into this.
    let bytes: [UInt8]
    /// The byte offset of the first byte of each line.
    let lineStarts: [Int]
    /// The line in the file where `text` starts (a template cut from a larger file).
    public let startLine: Int
    /// Text before `text` on its first line, such as `Subject: `: shifts the first
    /// line's columns and is shown in error lines.
    public let firstLinePrefix: String

    public init(path: String, text: String, startLine: Int = 1, firstLinePrefix: String = "") {
        self.path = path
        self.text = text
        self.startLine = startLine
        self.firstLinePrefix = firstLinePrefix
        let bytes = Array(text.utf8)
        self.bytes = bytes
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(index + 1)
        }
        self.lineStarts = starts
    }

    /// The 1-based line and column (counted in characters) of a byte offset.
    public func location(ofOffset offset: Int) -> SourceLocation {
        let clamped = max(0, min(offset, bytes.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
        }
        let prefix = bytes[lineStarts[low]..<clamped]
        var column = String(decoding: prefix, as: UTF8.self).count + 1
        if low == 0 { column += firstLinePrefix.count }
        return SourceLocation(line: low + startLine, column: column)
    }

    /// The text of a line (numbered as in the file), without its line ending.
    public func lineText(_ fileLine: Int) -> String {
        let line = fileLine - startLine + 1
        guard line >= 1, line <= lineStarts.count else { return "" }
        if line == 1 { return firstLinePrefix + ownLineText(1) }
        return ownLineText(line)
    }

    private func ownLineText(_ line: Int) -> String {
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

/// A 1-based line and column in a template.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}
