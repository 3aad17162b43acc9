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

    @Test func paragraphsSeparatedByBlankLinesAreOneItemEach() throws {
        let text = "# openings for | pick\nI am writing to you\nabout the strikers.\n\nAs a trade unionist,\nI ask you to act.\n\nShort one.\n"
        #expect(try load(text) == ["I am writing to you\nabout the strikers.", "As a trade unionist,\nI ask you to act.", "Short one."])
        // One paragraph of several lines and nothing else: still one item a line.
        #expect(try load("Line one\nLine two\n\n") == ["Line one", "Line two"])
    }
}
