import Foundation
import MegaphoneCampaign
import MegaphoneTestSupport
import Testing

/// A control character other than tab and line breaks must never reach a letter:
/// a NUL in a CSV field used to pass `check` and go out as `=00`.
@Suite struct ControlCharacterTests {
    static let controls: [(Character, String)] = [("\u{0}", "NUL (U+0000)"), ("\u{1B}", "ESC (U+001B)"),
                                                  ("\u{7F}", "DEL (U+007F)"), ("\u{85}", "a C1 control (U+0085)")]

    @Test(arguments: [0, 1, 2, 3])
    func inACSVFieldTheBodyUses(_ index: Int) throws {
        let (control, name) = Self.controls[index]
        let recipients = "name,email,city\nEmbassy,e@example.org,Lon\(control)don\nOther,o@example.org,Paris\n"
        let fixture = try CampaignFixture(template: "Subject: Letter\n\nTo the embassy in {{recipient.city}}.\n", recipients: recipients)
        defer { fixture.folder.remove() }
        let report = fixture.check()
        #expect(report.errorCount == 1)
        let diagnostic = try #require(report.diagnostics.first)
        #expect(diagnostic.path == fixture.folder.url.appendingPathComponent("recipients.csv").path)
        #expect(diagnostic.line == 2)
        #expect(diagnostic.columnName == "city")
        #expect(diagnostic.message.contains("control character \(name)"))
        #expect(diagnostic.message.contains("delete it from the data"))
        // Only the good row becomes a message.
        #expect(try fixture.messages().map(\.key) == ["o@example.org"])
    }

    @Test func inACSVFieldAHeaderUses() throws {
        let recipients = "name,email,city\nEmbassy,e@example.org,Lon\u{1B}[31mdon\n"
        let fixture = try CampaignFixture(template: "Subject: Letter to {{recipient.city}}\n\nBody\n", recipients: recipients)
        defer { fixture.folder.remove() }
        let report = fixture.check()
        #expect(report.errorCount == 1)
        #expect(report.diagnostics.first?.description
            == "\(fixture.folder.url.path)/recipients.csv:2: error: this value holds the control character ESC (U+001B) and would land in the letter; a letter cannot show it (it often comes from copying out of another program or a broken export): delete it from the data (column 'city')")
    }

    @Test func aColumnNoLetterUsesIsLeftAlone() throws {
        let recipients = "name,email,notes\nEmbassy,e@example.org,copied\u{0}from a spreadsheet\n"
        let fixture = try CampaignFixture(template: "Subject: Letter\n\nBody\n", recipients: recipients)
        defer { fixture.folder.remove() }
        #expect(fixture.check().errorCount == 0)
        #expect(try fixture.messages().count == 1)
    }

    @Test func tabsAndLineBreaksStay() throws {
        let recipients = "name,email,city\nEmbassy,e@example.org,\"Lon\tdon\r\nsecond line\"\n"
        let fixture = try CampaignFixture(template: "Subject: Letter\n\n{{recipient.city}}\n", recipients: recipients)
        defer { fixture.folder.remove() }
        #expect(fixture.check().errorCount == 0)
    }

    @Test(arguments: [("\\u0000", "NUL (U+0000)"), ("\\u001b", "ESC (U+001B)"), ("\u{7F}", "DEL (U+007F)"),
                      ("\u{85}", "a C1 control (U+0085)"), ("\\b", "backspace (U+0008)")])
    func inJSONData(_ written: String, _ name: String) throws {
        let json = "{\n  \"headline\": \"Free\",\n  \"city\": \"Lon\(written)don\"\n}\n"
        let fixture = try CampaignFixture(template: "Subject: {{ headline }}\n\n{{ city }}\n", recipients: "name,email\nA,a@example.org\n",
                                          extra: ["data.json": json], manifest: ["data": "[\"data.json\"]"])
        defer { fixture.folder.remove() }
        let report = fixture.check()
        #expect(report.errorCount == 1)
        let diagnostic = try #require(report.diagnostics.first)
        #expect(diagnostic.path.hasSuffix("/data.json"))
        #expect(diagnostic.line == 3)
        #expect(diagnostic.column == 11)
        #expect(diagnostic.message.contains("control character \(name) as its character 4"))
    }

    @Test(arguments: [0, 1, 2, 3])
    func inATextList(_ index: Int) throws {
        let (control, name) = Self.controls[index]
        let list = "# our demands\nRelease the detained\nFree\(control)dom of assembly\n"
        let template = "Subject: Demands\n\n{{#demands}}{{.}}\n{{/demands}}"
        let fixture = try CampaignFixture(template: template, recipients: "name,email\nA,a@example.org\n",
                                          extra: ["demands.txt": list], manifest: ["data": "[\"demands.txt\"]"])
        defer { fixture.folder.remove() }
        let report = fixture.check()
        #expect(report.errorCount == 1)
        let diagnostic = try #require(report.diagnostics.first)
        #expect(diagnostic.path.hasSuffix("/demands.txt"))
        #expect(diagnostic.line == 3)
        #expect(diagnostic.column == 5)
        #expect(diagnostic.message.contains("control character \(name)"))
    }
}
