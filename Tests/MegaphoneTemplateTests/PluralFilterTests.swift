import MegaphoneTemplate
import MegaphoneValue
import Testing

/// `| plural`: the form of a word for a count, by CLDR's rules ("1 people have
/// signed", "61 дней" were what a fixed word gave).
@Suite struct PluralFilterTests {
    func render(_ source: String, _ number: Int, locale: String) throws -> String {
        try Template(source: source, path: "letter.txt", options: .init(strict: true, locale: locale)).render(["n": .int(number)])
    }

    @Test func englishGermanAndKazakhHaveOneAndOther() throws {
        for locale in ["en", "de", "kk"] {
            #expect(try render("{{n | plural: \"# day|# days\"}}", 1, locale: locale) == "1 day")
            #expect(try render("{{n | plural: \"# day|# days\"}}", 0, locale: locale) == "0 days")
            #expect(try render("{{n | plural: \"# day|# days\"}}", 21, locale: locale) == "21 days")
        }
    }

    @Test func russianHasOneFewMany() throws {
        let forms = "{{n | plural: \"# день|# дня|# дней\"}}"
        let expected = [1: "1 день", 2: "2 дня", 4: "4 дня", 5: "5 дней", 11: "11 дней", 12: "12 дней", 14: "14 дней",
                        21: "21 день", 22: "22 дня", 61: "61 день", 100: "100 дней", 111: "111 дней", 1001: "1001 день"]
        for (number, text) in expected {
            #expect(try render(forms, number, locale: "ru") == text, "\(number)")
        }
        #expect(PluralRules.category(of: 61, language: "ru") == .one)
        #expect(PluralRules.category(of: 3, language: "uk") == .few)
    }

    @Test func frenchCountsZeroAndOneAsOneAndRoundMillionsAsMany() throws {
        #expect(try render("{{n | plural: \"# signature|# signatures\"}}", 0, locale: "fr") == "0 signature")
        #expect(try render("{{n | plural: \"# signature|# signatures\"}}", 1, locale: "fr") == "1 signature")
        #expect(try render("{{n | plural: \"# signature|# signatures\"}}", 2, locale: "fr") == "2 signatures")
        #expect(PluralRules.category(of: 1_000_000, language: "fr") == .many)
        #expect(try render("{{n | plural: \"# signature|# de signatures|# signatures\"}}", 1_000_000, locale: "fr") == "1000000 de signatures")
    }

    @Test func namedFormsAndChainedAfterCount() throws {
        #expect(try render("{{n | plural: \"one: # письмо | few: # письма | many: # писем\"}}", 3, locale: "ru") == "3 письма")
        let list = try Template(source: "{{signers | count | plural: \"# signature|# signatures\"}}", path: "p.txt", options: .init(locale: "en"))
            .render(["signers": ["a"]])
        #expect(list == "1 signature")
        #expect(try render("{{n}} {{n | plural: \"person|people\"}}", 7, locale: "en") == "7 people")
    }

    @Test func theWrongNumberOfFormsIsAnErrorNamingWhatTheLanguageNeeds() {
        do {
            _ = try render("{{n | plural: \"# день|# дней\"}}", 5, locale: "ru")
            Issue.record("two forms in Russian rendered")
        } catch {
            #expect("\(error)".contains("'ru' needs 3 (one|few|many)"))
            #expect("\(error)".contains("letter.txt:1:"))
        }
        #expect(throws: TemplateError.self) { try Template(source: "{{n | plural}}", path: "t.txt") }
        #expect(throws: TemplateError.self) {
            try Template(source: "{{s | plural: \"# day|# days\"}}", path: "t.txt").render(["s": "several"])
        }
    }
}
