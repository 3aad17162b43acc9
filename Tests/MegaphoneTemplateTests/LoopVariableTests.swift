import MegaphoneTemplate
import MegaphoneValue
import Testing

@Suite struct LoopVariableTests {
    private func render(_ source: String, _ data: Value) throws -> String {
        try Template(source: source, path: "loop.txt").render(data)
    }

    @Test func numberedDemands() throws {
        let template = """
        {{#demands}}
        {{@number}}. {{.}}
        {{/demands}}
        """
        let output = try render(template, ["demands": ["Release Maxat Dosanov.", "Reinstate the strikers.", "Lift the ban."]])
        #expect(output == "1. Release Maxat Dosanov.\n2. Reinstate the strikers.\n3. Lift the ban.\n")
    }

    @Test func indexFirstAndLastMakeSeparators() throws {
        let data: Value = ["names": ["Ana", "Bo", "Cy"]]
        #expect(try render("{{#names}}{{.}}{{^@last}}, {{/@last}}{{/names}}", data) == "Ana, Bo, Cy")
        #expect(try render("{{#names}}{{#@first}}[{{/@first}}{{@index}}{{/names}}]", data) == "[012]")
    }

    @Test func innermostListWins() throws {
        let data: Value = ["groups": [["members": ["a", "b"]], ["members": ["c"]]]]
        let template = "{{#groups}}{{@number}}:{{#members}}{{@number}}{{/members}};{{/groups}}"
        #expect(try render(template, data) == "1:12;2:1;")
    }

    @Test func loopVariablesSurviveAnObjectSection() throws {
        let data: Value = ["signers": [["name": "A", "org": ["short": "X"]], ["name": "B", "org": ["short": "Y"]]]]
        #expect(try render("{{#signers}}{{#org}}{{@number}}{{short}}{{/org}}{{/signers}}", data) == "1X2Y")
    }

    @Test func loopVariableOutsideAListIsAnError() throws {
        let error = #expect(throws: TemplateError.self) { try render("Item {{@number}}", [:]) }
        #expect(error?.diagnostics.first?.message == "'@number' only has a value inside a section over a list, such as {{#demands}}…{{/demands}}")
        #expect(error?.diagnostics.first?.location == SourceLocation(line: 1, column: 8))
    }
}
