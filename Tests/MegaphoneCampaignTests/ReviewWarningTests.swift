import Foundation
import MegaphoneCampaign
import MegaphoneMail
import MegaphoneTestSupport
import Testing

/// What `check` warns of in the templates themselves: an optional page field printed
/// where nothing hides it when empty, a letter page's template writing the supporter's
/// address past their choice, a language version of the letter printing data that
/// exists only in another language.
@Suite struct ReviewWarningTests {
    func fixture(mode: String, template: String, page: String, extra: [String: String] = [:], data: String = "[]",
                 russian: String? = nil) throws -> CampaignFixture {
        var files = extra
        if let russian { files["template.ru.txt"] = russian }
        var manifest = ["data": data]
        if !page.isEmpty {
            manifest["page"] = page
            manifest["signers"] = #"{"store": "signatures.sqlite"}"#
        }
        return try CampaignFixture(mode: mode, template: template, recipients: "name,email,language\nEmbassy,embassy@example.org,en\nПосольство,moscow@example.org,ru\n",
                                   extra: files, manifest: manifest)
    }

    @Test func anOptionalFieldPrintedUnguardedIsAWarningAtItsLineAndColumn() throws {
        let fixture = try fixture(mode: "each-signer", template: "Subject: Hi\n\nDear minister,\n\n{{signer.name | upper}}\n{{signer.organisation}}, {{signer.city}}\n",
                                  page: #"{"title": "Write", "fields": ["name", "email", "organisation", "city"]}"#)
        defer { fixture.folder.remove() }
        let report = fixture.check()
        let warnings = report.diagnostics.filter { $0.severity == .warning }.map(\.description)
        let organisation = try #require(warnings.first { $0.contains("'organisation' is optional on the page") })
        #expect(organisation.contains("template.txt:6:3: warning:"))
        #expect(organisation.contains("{{#signer.organisation}}…{{/signer.organisation}}"))
        #expect(warnings.contains { $0.contains("template.txt:6:28: warning: 'city' is optional") })
        // Name and email are required: never warned of.
        #expect(!warnings.contains { $0.contains("'name' is optional") })
    }

    @Test func aGuardedDefaultedOrRequiredFieldIsFine() throws {
        let template = "Subject: Hi\n\nDear minister,\n\n{{#signer.organisation}}\n{{signer.organisation}}\n{{/signer.organisation}}\n{{signer.city | default: \"\"}}\n{{signer.country}}\n"
        let fixture = try fixture(mode: "each-signer", template: template,
                                  page: #"{"title": "Write", "fields": ["name", "email", "organisation", "city", "country"], "required": ["country"]}"#)
        defer { fixture.folder.remove() }
        #expect(!fixture.check().diagnostics.contains { $0.message.contains("is optional on the page") })
    }

    @Test func aPetitionsSignerListIsCheckedInsideItsSection() throws {
        let fixture = try fixture(mode: "joint", template: "Subject: P\n\nSigned,\n{{#signers}}\n{{name}}, {{city}}\n{{#organisation}}{{organisation}}{{/organisation}}\n{{/signers}}\n",
                                  page: #"{"title": "Sign", "fields": ["name", "email", "organisation", "city"]}"#)
        defer { fixture.folder.remove() }
        let warnings = fixture.check().diagnostics.filter { $0.message.contains("is optional on the page") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.description.contains("template.txt:5:13: warning: 'city' is optional") == true)
    }

    @Test func aLetterPageTemplateWritingTheSupportersAddressIsWarnedOf() throws {
        let fixture = try fixture(mode: "each-signer", template: "Subject: Hi\nReply-To: {{signer.email}}\n\nDear minister,\n\n{{signer.name}}\n",
                                  page: #"{"title": "Write", "fields": ["name", "email"]}"#)
        defer { fixture.folder.remove() }
        let warning = try #require(fixture.check().diagnostics.first { $0.message.contains("{{signer.email}}") })
        #expect(warning.description.contains("template.txt:2:13: warning:"))
        #expect(warning.message.contains("the Reply-To header"))
        // With "always" the page says the address goes: no warning.
        let always = try self.fixture(mode: "each-signer", template: "Subject: Hi\nReply-To: {{signer.email}}\n\nDear minister,\n\n{{signer.name}}\n",
                                      page: #"{"title": "Write", "fields": ["name", "email"], "reply_to_signer": "always"}"#)
        defer { always.folder.remove() }
        #expect(!always.check().diagnostics.contains { $0.message.contains("{{signer.email}}") })
    }

    @Test func aRussianLetterPrintingEnglishDataIsWarnedOfAndItsOwnDataIsUsed() throws {
        let english = "Subject: Hi\n\n{{#demands}}\n{{@number}}. {{.}}\n{{/demands}}\n"
        let russian = "Subject: Привет\n\n{{#demands}}\n{{@number}}. {{.}}\n{{/demands}}\n"
        let fixture = try fixture(mode: "each-recipient", template: english, page: "",
                                  extra: ["demands.txt": "Free her.\nReinstate them.\n"], data: #"["demands.txt"]"#, russian: russian)
        defer { fixture.folder.remove() }
        let warning = try #require(fixture.check().diagnostics.first { $0.message.contains("the 'ru' letter prints 'demands'") })
        #expect(warning.description.contains("template.ru.txt:3:4: warning:") || warning.description.contains("template.ru.txt:4:"))
        #expect(warning.message.contains("add demands.ru.txt") || warning.message.contains("/demands.ru.txt"))

        try fixture.folder.write("demands.ru.txt", "Освободить её.\nВосстановить их.\n")
        #expect(!fixture.check().diagnostics.contains { $0.message.contains("the 'ru' letter prints") })
        let (campaign, _) = Campaign.open(fixture.path, date: CampaignFixture.date)
        var texts: [String: String] = [:]
        let stream = try #require(campaign).messages()
        while let outcome = stream.next() {
            guard case .composed(let message) = outcome else { continue }
            texts[message.message.to.first?.address.description ?? ""] = message.message.text
        }
        #expect(texts["moscow@example.org"]?.contains("1. Освободить её.") == true)
        #expect(texts["embassy@example.org"]?.contains("1. Free her.") == true)
    }
}
