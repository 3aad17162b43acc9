import MegaphoneTemplate
import MegaphoneValue
import Testing

private func render(_ source: String, _ data: Value, locale: String = "en", strict: Bool = true) throws -> String {
    try Template(source: source, path: "t.txt", options: .init(strict: strict, locale: locale)).render(data)
}

@Suite struct FilterTests {
    @Test(arguments: [
        ("{{ name | upper }}", "Aigerim Sultanova", "AIGERIM SULTANOVA"),
        ("{{ name | upper }}", "straße", "STRASSE"),
        ("{{ name | lower }}", "ÉLODIE", "élodie"),
        ("{{ name | capitalize }}", "élodie dupont", "Élodie dupont"),
        ("{{ name | title }}", "jean-luc o'NEIL", "Jean-Luc O'neil"),
        ("{{ name | trim }}", "  spaced \n", "spaced"),
        ("{{ name | trim | upper }}", " chained ", "CHAINED"),
        ("{{ name | upper | lower }}", "Left To Right", "left to right"),
    ])
    func textFilters(template: String, input: String, expected: String) throws {
        #expect(try render(template, ["name": .string(input)]) == expected)
    }

    @Test(arguments: [
        ("tr", "istanbul ıspanak", "İSTANBUL ISPANAK"),
        ("az", "bakı şəhəri", "BAKI ŞƏHƏRİ"),
        ("kk", "qazaqstan respublikasy, aqtau", "QAZAQSTAN RESPUBLİKASY, AQTAU"),
        ("en", "istanbul", "ISTANBUL"),
        ("kk", "жаңаөзен", "ЖАҢАӨЗЕН"),
    ])
    func turkicUpper(locale: String, input: String, expected: String) throws {
        #expect(try render("{{ x | upper }}", ["x": .string(input)], locale: locale) == expected)
    }

    @Test func turkicLower() throws {
        #expect(try render("{{ x | lower }}", ["x": "DİYARBAKIR"], locale: "tr") == "diyarbakır")
        #expect(try render("{{ x | lower }}", ["x": "DIYARBAKIR"], locale: "en") == "diyarbakir")
        #expect(try render("{{ x | title }}", ["x": "izmir ili"], locale: "tr") == "İzmir İli")
    }

    @Test func defaultFilter() throws {
        let template = "Dear {{ ambassador | default: \"Your Excellency\" }},"
        #expect(try render(template, [:]) == "Dear Your Excellency,")
        #expect(try render(template, ["ambassador": ""]) == "Dear Your Excellency,")
        #expect(try render(template, ["ambassador": nil]) == "Dear Your Excellency,")
        #expect(try render(template, ["ambassador": "Ms Moreau"]) == "Dear Ms Moreau,")
        #expect(try render("[{{ x | default: \"\" }}]", [:]) == "[]")
        #expect(try render("{{ x | default: 'single quotes' }}", [:]) == "single quotes")
        #expect(try render("{{ x | upper | default: \"n/a\" }}", [:]) == "n/a")
        #expect(try render("{{ x | default: 3 }}", [:]) == "3")
    }

    @Test func joinAndCount() throws {
        let data: Value = ["demands": ["Free the lawyer", "Reinstate the workers", "End the ban"]]
        #expect(try render("{{ demands | join: \"; \" }}", data) == "Free the lawyer; Reinstate the workers; End the ban")
        #expect(try render("{{ demands | join }}", data) == "Free the lawyer, Reinstate the workers, End the ban")
        #expect(try render("{{ demands | count }} demands", data) == "3 demands")
        #expect(try render("{{#demands | count}}yes{{/demands}}", data) == "yes")
        #expect(try render("{{^empty | count}}none{{/empty}}", ["empty": []]) == "none")
    }

    @Test(arguments: [
        ("2026-11-27", "d MMMM yyyy", "en", "27 November 2026"),
        ("2026-11-27", "d MMMM yyyy", "ru", "27 ноября 2026"),
        ("2026-11-27", "d MMMM yyyy", "fr", "27 novembre 2026"),
        ("2026-12-01T10:30:00+01:00", "d MMMM yyyy, HH:mm", "en", "1 December 2026, 10:30"),
        ("2026-12-01T09:30Z", "HH:mm", "en", "09:30"),
        ("2026-12-01T10:30:00.250-05:00", "yyyy-MM-dd HH:mm xxx", "en", "2026-12-01 10:30 -05:00"),
    ])
    func dates(input: String, pattern: String, locale: String, expected: String) throws {
        #expect(try render("{{ when | date: \"\(pattern)\" }}", ["when": .string(input)], locale: locale) == expected)
    }

    @Test func defaultDatePattern() throws {
        #expect(try render("{{ when | date }}", ["when": "2026-03-08"]) == "8 March 2026")
    }

    @Test func lenientModeIgnoresWhatStrictRejects() throws {
        #expect(try render("[{{ x | shout }}]", ["x": "a"], strict: false) == "[a]")
        #expect(try render("[{{ x | upper }}]", ["x": ["a"]], strict: false) == "[]")
        #expect(try render("[{{ missing }}]", [:], strict: false) == "[]")
    }
}
