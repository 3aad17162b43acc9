import MegaphoneTemplate
import MegaphoneValue
import Testing

@Suite struct ErrorMessageTests {
    private func compileError(_ source: String, path: String = "templates/embassy.txt") -> TemplateError? {
        #expect(throws: TemplateError.self) { try Template(source: source, path: path) }
    }

    private func renderError(_ source: String, _ data: Value, path: String = "templates/embassy.txt") throws -> TemplateError? {
        let template = try Template(source: source, path: path)
        return #expect(throws: TemplateError.self) { try template.render(data) }
    }

    @Test func missingVariablePrintsLikeACompiler() throws {
        let source = "To the Embassy\n\nYour Excellency {{recipient.ambassador}},\n"
        let error = try renderError(source, ["recipient": ["name": "Embassy"]])
        #expect(error?.description == """
        templates/embassy.txt:3:19: error: no value for 'recipient.ambassador'; add it to the data, or write {{recipient.ambassador | default: "…"}} to allow a blank
        Your Excellency {{recipient.ambassador}},
                          ^
        """)
    }

    @Test func caretKeepsTabs() throws {
        let error = try renderError("\t\t{{ who }}", [:])
        #expect(error?.diagnostics.first?.location == SourceLocation(line: 1, column: 6))
        #expect(error?.description.hasSuffix("\t\t{{ who }}\n\t\t   ^") == true)
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let error = try renderError("Қазақстан {{x}}", [:])
        #expect(error?.diagnostics.first?.location == SourceLocation(line: 1, column: 13))
    }

    @Test func unclosedSection() {
        let error = compileError("Hello\n{{#demands}}\n- {{.}}\n")
        #expect(error?.diagnostics.count == 1)
        #expect(error?.diagnostics.first?.location == SourceLocation(line: 2, column: 1))
        #expect(error?.diagnostics.first?.message == "section 'demands' is never closed; add {{/demands}} where it should end")
    }

    @Test func mismatchedSection() {
        let error = compileError("{{#a}}\n  {{#b}}x\n{{/a}}")
        #expect(error?.diagnostics.map(\.message) == [
            "section 'b' is never closed before the '{{/…}}' at 3:1; add {{/b}} where it should end",
        ])
        #expect(error?.diagnostics.first?.location == SourceLocation(line: 2, column: 3))
    }

    @Test func strayClosingTag() {
        let error = compileError("text {{/signers}}")
        #expect(error?.diagnostics.first?.message == "'{{/signers}}' closes a section that is not open")
        #expect(error?.diagnostics.first?.location == SourceLocation(line: 1, column: 6))
    }

    @Test func badDelimiterChange() {
        let error = compileError("a\n{{=<% %> x=}}")
        #expect(error?.diagnostics.first?.message == "a delimiter change needs two delimiters without spaces or '=', as in {{=<% %>=}}")
        #expect(error?.diagnostics.first?.location == SourceLocation(line: 2, column: 1))
    }

    @Test func unclosedTag() {
        let error = compileError("Dear {{name,\n")
        #expect(error?.diagnostics.first?.message == "this tag is never closed; add '}}' after the tag's name")
        #expect(error?.diagnostics.first?.location == SourceLocation(line: 1, column: 6))
    }

    @Test func unknownFilterSuggestsTheNearestName() {
        let error = compileError("{{ name | uper }}")
        #expect(error?.diagnostics.first?.message
            == "unknown filter 'uper' (did you mean 'upper'?); the filters are upper, lower, capitalize, title, trim, default, join, date, count, pick, plural")
        #expect(error?.diagnostics.first?.location == SourceLocation(line: 1, column: 11))
    }

    @Test func filterOnTheWrongKindOfValue() throws {
        let error = try renderError("{{ demands | upper }}", ["demands": ["a"]])
        #expect(error?.diagnostics.first?.message == "the filter 'upper' works on text, but the value is a list")
        #expect(try renderError("{{ name | join }}", ["name": "x"])?.diagnostics.first?.message
            == "the filter 'join' works on a list, but the value is text")
        #expect(try renderError("{{ when | date }}", ["when": "next Tuesday"])?.diagnostics.first?.message
            == "the filter 'date' needs an ISO 8601 date such as 2026-11-27 or 2026-11-27T10:00:00+01:00, but got 'next Tuesday'")
    }

    @Test func listInterpolatedAsText() throws {
        let error = try renderError("{{demands}}", ["demands": ["a"]])
        #expect(error?.diagnostics.first?.message
            == "'demands' is a list, not text; list it with {{#demands}}…{{/demands}} or write {{demands | join: \", \"}}")
    }

    @Test func missingPartialInStrictMode() throws {
        let error = compileError("{{> footer}}", path: "letter.txt")
        #expect(error?.diagnostics.first?.message == "no partial named 'footer' (no partials folder was given)")
        let lenient = try? Template(source: "[{{> footer}}]", path: "letter.txt", options: .init(strict: false))
        #expect((try? lenient?.render([:])) == "[]")
    }

    @Test func missingSectionNameInStrictMode() throws {
        let error = try renderError("{{#signers}}x{{/signers}}", [:])
        #expect(error?.diagnostics.first?.message.hasPrefix("no value for 'signers'") == true)
    }

    @Test func everyCompileErrorIsReported() {
        let error = compileError("{{ a | nope }}\n{{#open}}\n{{/close}}\n{{=x=}}\n")
        #expect(error?.diagnostics.map(\.location) == [
            SourceLocation(line: 1, column: 8), SourceLocation(line: 2, column: 1),
            SourceLocation(line: 3, column: 1), SourceLocation(line: 4, column: 1),
        ])
    }

    @Test func everyMissingValueIsReportedOnce() throws {
        let error = try renderError("{{#items}}{{name}} {{city}}{{/items}}", ["items": [["x": 1], ["x": 2]]])
        #expect(error?.diagnostics.map { String($0.message.prefix(19)) } == ["no value for 'name'", "no value for 'city'"])
    }

    @Test func badNames() {
        #expect(compileError("{{a..b}}")?.diagnostics.first?.message
            == "'a..b' is not a name: a dotted name needs a word between the dots, as in recipient.name")
        #expect(compileError("{{first name}}")?.diagnostics.first?.message
            == "'first name' is not a name: names have no spaces; separate filters with '|', as in {{name | upper}}")
        #expect(compileError("{{@count}}")?.diagnostics.first?.message
            == "unknown loop variable '@count'; use one of @number, @index, @first, @last")
        #expect(compileError("{{ x | default }}")?.diagnostics.first?.message
            == "the filter 'default' needs a value, as in | default: \"Your Excellency\"")
    }
}
