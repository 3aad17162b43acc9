import Foundation
import MegaphoneData
import Testing

@Suite struct TextListParagraphTests {
    func load(_ text: String) throws -> [String] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("list-\(UUID().uuidString).txt").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try TextListLoader.load(path)
    }

    @Test func oneItemALineAsBefore() throws {
        #expect(try load("# demands\nFirst.\nSecond.\nThird.\n") == ["First.", "Second.", "Third."])
        // Lines on their own between blank lines are still one item each.
        #expect(try load("First.\n\nSecond.\n\nThird.\n") == ["First.", "Second.", "Third."])
        #expect(try load("One\n\nTwo\n\n") == ["One", "Two"])
    }

    @Test func paragraphListsSayItTheirFirstLine() throws {
        let text = "# paragraphs\n# openings for | pick\nI am writing to you\nabout the strikers.\n\nAs a trade unionist,\nI ask you to act.\n\nShort one.\n"
        #expect(try load(text) == ["I am writing to you\nabout the strikers.", "As a trade unionist,\nI ask you to act.", "Short one."])
        #expect(try load("# Paragraphs\nLine one\nLine two\n\n") == ["Line one\nLine two"])
    }

    /// A blank line slipped into a list of demands never merges two of them (it did:
    /// `A`, blank, `B`, `C` gave two demands, "A" and "B\nC").
    @Test func aBlankLineInAnOrdinaryListMergesNothingAndWarns() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("demands-\(UUID().uuidString).txt").path
        try "# demands\nA\n\nB\nC\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let list = try TextListLoader.loadList(path)
        #expect(list.items == ["A", "B", "C"])
        let warning = try #require(list.warning)
        #expect(warning.line == 4)
        #expect(warning.message.contains("one item a line (3 items"))
        #expect(warning.message.contains("# paragraphs"))
        // One block of several lines and nothing else is an ordinary list: no warning.
        try "Line one\nLine two\n\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try TextListLoader.loadList(path) == TextListLoader.TextList(items: ["Line one", "Line two"], warning: nil))
    }
}
