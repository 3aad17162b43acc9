/// Adds or removes a common indentation on the lines of template text, for
/// standalone partials, parents and blocks.
enum TextIndentation {
    /// Prepends `prefix` to every line that is not empty.
    static func indent(_ text: String, by prefix: String) -> String {
        guard !prefix.isEmpty else { return text }
        var result = ""
        var atLineStart = true
        for character in text {
            if atLineStart, character != "\n", character != "\r\n" { result += prefix }
            result.append(character)
            atLineStart = character == "\n" || character == "\r\n"
        }
        return result
    }

    /// Prepends `prefix` to every line that holds more than white space.
    static func indentNonBlank(_ text: String, by prefix: String) -> String {
        guard !prefix.isEmpty else { return text }
        return lines(text).map { line in
            line.content.allSatisfy(isBlank) ? line.content + line.ending : prefix + line.content + line.ending
        }.joined()
    }

    /// Removes the white space that all non-blank lines start with; blank lines become
    /// empty. Returns the text and the first line's removed indentation.
    static func dedent(_ text: String) -> (text: String, indentation: String) {
        let split = lines(text)
        var margin: Substring? = nil
        for line in split where !line.content.allSatisfy(isBlank) {
            let leading = line.content.prefix(while: isBlank)
            if let current = margin {
                margin = current.commonPrefix(with: leading)
            } else {
                margin = leading
            }
        }
        let removed = String(margin ?? "")
        let result = split.map { line -> String in
            if line.content.allSatisfy(isBlank) { return line.ending }
            return String(line.content.dropFirst(removed.count)) + line.ending
        }.joined()
        return (result, removed)
    }

    private static func isBlank(_ character: Character) -> Bool { character == " " || character == "\t" }

    private static func lines(_ text: String) -> [(content: Substring, ending: String)] {
        var result: [(Substring, String)] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\n" || character == "\r\n" {
                result.append((text[start..<index], String(character)))
                index = text.index(after: index)
                start = index
            } else {
                index = text.index(after: index)
            }
        }
        if start < text.endIndex { result.append((text[start...], "")) }
        return result
    }
}

extension Substring {
    fileprivate func commonPrefix(with other: Substring) -> Substring {
        var end = startIndex
        var otherIndex = other.startIndex
        while end < endIndex, otherIndex < other.endIndex, self[end] == other[otherIndex] {
            end = index(after: end)
            otherIndex = other.index(after: otherIndex)
        }
        return self[startIndex..<end]
    }
}
