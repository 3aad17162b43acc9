import Foundation
import MegaphoneData
import MegaphoneValue
import Testing

@Suite struct JSONLoaderTests {
    private func temporaryFile(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("megaphone-\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func mergesFilesInOrder() throws {
        let first = try temporaryFile(#"{"campaign": {"name": "A", "address": "a@example.org"}, "x": 1}"#)
        let second = try temporaryFile(#"{"campaign": {"name": "B"}}"#)
        defer { try? FileManager.default.removeItem(atPath: first); try? FileManager.default.removeItem(atPath: second) }
        let merged = try JSONLoader.loadMerged([first, second])
        #expect(merged["campaign"]?["name"] == "B")
        #expect(merged["campaign"]?["address"] == "a@example.org")
        #expect(merged["x"] == 1)
    }

    @Test func missingFileIsMissingKind() {
        let error = #expect(throws: DataError.self) { try JSONLoader.load("/nonexistent/megaphone.json") }
        #expect(error?.kind == .missingFile)
        #expect(error?.description == "/nonexistent/megaphone.json: error: no such file; check the path")
    }

    @Test func syntaxErrorNamesFileLineAndColumn() throws {
        let path = try temporaryFile("{\n  \"a\": [1,,2]\n}")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: DataError.self) { try JSONLoader.load(path) }
        #expect(error?.kind == .invalid)
        #expect(error?.line == 2)
        #expect(error?.column == 11)
        #expect(error?.description.hasPrefix("\(path):2:11: error: expected a value") == true)
    }

    @Test func mergedDataMustBeObjects() throws {
        let path = try temporaryFile("[1, 2]")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: DataError.self) { try JSONLoader.loadMerged([path]) }
        #expect(error?.message == "the data must be a JSON object ({ \"name\": … }), but this file holds a list")
    }
}
