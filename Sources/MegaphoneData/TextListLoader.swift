import Foundation

public import MegaphoneValue

/// Loads a `.txt` list, so people who don't write JSON can edit a campaign's demands.
///
/// An ordinary list has one item a line; blank lines and `#` comments are ignored.
/// A paragraph list says so on its first line, `# paragraphs`: its items are the
/// runs of lines between blank lines, each one's lines kept (alternative paragraphs
/// for `| pick`). Nothing else makes a file a paragraph list, so a blank line that
/// slips into a list of demands never merges two of them.
public enum TextListLoader {
    /// The first line that makes a file a paragraph list (compared trimmed, ignoring case).
    public static let paragraphMarker = "# paragraphs"

    /// A loaded list, and a note when its shape suggests it was meant otherwise.
    public struct TextList: Sendable, Equatable {
        public let items: [String]
        /// Set when an ordinary list has blocks of several lines between blank lines:
        /// it was read one item a line, which may not be what its author meant.
        public let warning: DataError?

        public init(items: [String], warning: DataError?) {
            self.items = items
            self.warning = warning
        }
    }

    /// The list's name: the file name without folder and extension (`demands.txt` → `demands`).
    public static func listName(for path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: ".") else { return file }
        return String(file[..<dot])
    }

    public static func load(_ path: String) throws(DataError) -> [String] {
        try loadList(path).items
    }

    /// Reads the list, with a warning when an ordinary list looks like paragraphs.
    public static func loadList(_ path: String) throws(DataError) -> TextList {
        let bytes = try DataFile.read(path)
        var body = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { body = bytes.dropFirst(3) }
        var lines: [(number: Int, text: String)] = []
        var isParagraphList = false
        for (index, rawLine) in body.split(separator: 10, omittingEmptySubsequences: false).enumerated() {
            guard let line = String(validating: rawLine, as: UTF8.self) else {
                throw DataError(path: path, line: index + 1, message: "this line is not valid UTF-8; save the file as UTF-8")
            }
            if let (scalar, offset) = ControlCharacter.first(in: rawLine) {
                throw DataError(path: path, line: index + 1, column: offset + 1,
                                message: "this line holds the control character \(ControlCharacter.name(scalar)); \(ControlCharacter.advice)")
            }
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if index == 0, trimmed.lowercased() == paragraphMarker {
                isParagraphList = true
                continue
            }
            if trimmed.hasPrefix("#") { continue }
            lines.append((index + 1, trimmed))
        }
        // Blocks: the runs of non-blank lines between blank lines.
        var blocks: [[(number: Int, text: String)]] = [[]]
        for line in lines {
            if line.text.isEmpty {
                if !(blocks.last?.isEmpty ?? true) { blocks.append([]) }
            } else {
                blocks[blocks.count - 1].append(line)
            }
        }
        blocks.removeAll { $0.isEmpty }
        if isParagraphList {
            return TextList(items: blocks.map { $0.map(\.text).joined(separator: "\n") }, warning: nil)
        }
        let items = blocks.flatMap { $0.map(\.text) }
        var warning: DataError? = nil
        if blocks.count > 1, let block = blocks.first(where: { $0.count > 1 }), let first = block.first {
            warning = DataError(path: path, line: first.number, message: """
                this list is read one item a line (\(items.count) items; blank lines are ignored), but its blank lines \
                separate blocks of several lines, as paragraphs would be; if each block is one item (alternatives \
                for | pick), make "\(paragraphMarker)" the file's first line
                """)
        }
        return TextList(items: items, warning: warning)
    }

    /// The list as a value, ready to merge into a template's data.
    public static func loadValue(_ path: String) throws(DataError) -> Value {
        .array(try load(path).map(Value.string))
    }
}
