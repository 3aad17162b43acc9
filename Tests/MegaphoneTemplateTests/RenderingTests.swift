import Foundation
import MegaphoneTemplate
import MegaphoneValue
import Testing

@Suite struct RenderingTests {
    @Test func plainTextIsNeverEscaped() throws {
        let template = try Template(source: "{{name}} & {{{name}}}", path: "t.txt")
        #expect(try template.render(["name": "<Smith & \"Sons\">"]) == "<Smith & \"Sons\"> & <Smith & \"Sons\">")
    }

    @Test func htmlEscapesInterpolationsOnly() throws {
        let template = try Template(source: "<p>{{name}} {{{name}}}</p>", path: "t.html", options: .init(escaping: .html))
        #expect(try template.render(["name": "<b>O'Neil & co</b>"])
            == "<p>&lt;b&gt;O&#39;Neil &amp; co&lt;/b&gt; <b>O'Neil & co</b></p>")
    }

    @Test func numbersAndBooleansKeepTheirForm() throws {
        let template = try Template(source: "{{i}} {{d}} {{b}}", path: "t.txt")
        #expect(try template.render(["i": 85, "d": 1.21, "b": true]) == "85 1.21 true")
    }

    @Test func jsonDecodingKeepsKinds() throws {
        let value = try JSONParser.parse(#"{"a": 1, "b": 1.5, "c": true, "d": null, "e": [1, "x"]}"#)
        let template = try Template(source: "{{a}}|{{b}}|{{c}}|{{d}}|{{e | join: \"+\"}}", path: "t.txt")
        #expect(try template.render(value) == "1|1.5|true||1+x")
    }

    @Test func mergingLaterKeysWin() {
        let merged = Value.object(["a": 1, "o": ["x": 1, "y": 2]]).merging(["b": 2, "o": ["y": 3]])
        #expect(merged["a"].flatMap(\.scalarText) == "1")
        #expect(merged["o"]?["x"].flatMap(\.scalarText) == "1")
        #expect(merged["o"]?["y"].flatMap(\.scalarText) == "3")
        #expect(merged["b"].flatMap(\.scalarText) == "2")
    }

    @Test func rendersFromManyThreadsAtOnce() async throws {
        let template = try Template(source: "{{#items}}{{@number}}={{.}};{{/items}}", path: "t.txt")
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    let items = Value.array((0..<50).map { .int($0 * worker) })
                    let expected = (0..<50).map { "\($0 + 1)=\($0 * worker);" }.joined()
                    for _ in 0..<50 where try template.render(["items": items]) != expected { return false }
                    return true
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 16 && results.allSatisfy { $0 })
    }

    @Test func partialsFromAFolderUseTheTemplatesExtension() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("megaphone-partials-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "Yours,\n{{name | upper}}\n".write(to: folder.appendingPathComponent("signature.txt"), atomically: true, encoding: .utf8)
        try "(mustache {{name}})".write(to: folder.appendingPathComponent("other.mustache"), atomically: true, encoding: .utf8)
        let provider = PartialDirectory(directories: [folder.path], templateExtension: "txt")
        let template = try Template(source: "Letter\n  {{> signature}}\n{{> other}}", path: "letter.txt", partials: provider)
        #expect(try template.render(["name": "Dana"]) == "Letter\n  Yours,\n  DANA\n(mustache Dana)")
        let missing = #expect(throws: TemplateError.self) {
            try Template(source: "{{> nothere}}", path: "letter.txt", partials: provider)
        }
        #expect(missing?.diagnostics.first?.message
            == "no partial named 'nothere' (looked for \(folder.path)/nothere.txt, \(folder.path)/nothere.mustache)")
    }

    @Test func errorsInsideAPartialNameThePartialsFile() throws {
        let provider = PartialDictionary(["footer": "ok\n{{#open}}"])
        let error = #expect(throws: TemplateError.self) {
            try Template(source: "{{> footer}}", path: "letter.txt", partials: provider)
        }
        #expect(error?.diagnostics.first?.path == "footer")
        #expect(error?.diagnostics.first?.location == SourceLocation(line: 2, column: 1))
    }

    @Test func selfIncludingPartialStopsWithAnError() throws {
        let template = try Template(source: "{{> loop}}", path: "t.txt", partials: PartialDictionary(["loop": "x{{> loop}}"]))
        let error = #expect(throws: TemplateError.self) { try template.render([:]) }
        #expect(error?.diagnostics.first?.message.contains("nest more than 200 deep") == true)
    }

    @Test func hostLambdas() throws {
        let template = try Template(source: "{{#bold}}Hi {{name}}{{/bold}} {{shout}}", path: "t.txt")
        let output = try template.render([
            "name": "Ana",
            "bold": .lambda(Lambda { text in .string("**\(text ?? "")**") }),
            "shout": .lambda(Lambda { _ in "{{name | upper}}!" }),
        ])
        #expect(output == "**Hi Ana** ANA!")
    }
}
