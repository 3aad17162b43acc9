import Foundation

public import MegaphoneValue

/// Loads a `.txt` list: one item a line, blank lines and `#` comments ignored, so
/// people who don't write JSON can edit a campaign's demands. A file whose items
/// run over several lines, separated by blank lines (alternative paragraphs for
/// `| pick`), is a list of those paragraphs, each one's lines kept.
public enum TextListLoader {
    /// The list's name: the file name without folder and extension (`demands.txt` → `demands`).
    public static func listName(for path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: ".") else { return file }
        return String(file[..<dot])
    }

    public static func load(_ path: String) throws(DataError) -> [String] {
        let bytes = try DataFile.read(path)
        var body = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { body = bytes.dropFirst(3) }
        var items: [String] = []
        // Paragraphs: the lines since the last blank line; a file is read as paragraphs
        // when one of them has two lines or more and a blank line separates two.
        var paragraphs: [String] = []
        var current: [String] = []
        var multiLine = false
        func endParagraph() {
            guard !current.isEmpty else { return }
            if current.count > 1 { multiLine = true }
            paragraphs.append(current.joined(separator: "\n"))
            current = []
        }
        for (index, rawLine) in body.split(separator: 10, omittingEmptySubsequences: false).enumerated() {
            guard let line = String(validating: rawLine, as: UTF8.self) else {
                throw DataError(path: path, line: index + 1, message: "this line is not valid UTF-8; save the file as UTF-8")
            }
            if let (scalar, offset) = ControlCharacter.first(in: rawLine) {
                throw DataError(path: path, line: index + 1, column: offset + 1,
                                message: "this line holds the control character \(ControlCharacter.name(scalar)); \(ControlCharacter.advice)")
            }
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix("#") { continue }
            if trimmed.isEmpty {
                endParagraph()
                continue
            }
            items.append(trimmed)
            current.append(trimmed)
        }
        endParagraph()
        return multiLine && paragraphs.count > 1 ? paragraphs : items
    }

    /// The list as a value, ready to merge into a template's data.
    public static func loadValue(_ path: String) throws(DataError) -> Value {
        .array(try load(path).map(Value.string))
    }
}
