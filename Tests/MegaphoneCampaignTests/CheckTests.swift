import Foundation
import MegaphoneCampaign
import MegaphoneTestSupport
import Testing

@Suite struct CheckTests {
    @Test func headerInjectionFromACSVFieldNamesRowAndColumn() throws {
        let recipients = "name,email,city\nEmbassy,e@example.org,\"London\r\nBcc: victim@example.com\"\nOther,o@example.org,Paris\n"
        let fixture = try CampaignFixture(template: "Subject: Letter to {{recipient.city}}\n\nBody\n", recipients: recipients)
        defer { fixture.folder.remove() }
        let messages = try fixture.messages()
        #expect(messages.count == 1)
        #expect(messages.allSatisfy { !$0.text.contains("victim") })
        let report = fixture.check()
        #expect(report.errorCount == 1)
        #expect(report.diagnostics.first?.description
            == "\(fixture.folder.url.path)/recipients.csv:2: error: this value has a line break or NUL character and would land in the Subject header, where it could inject headers; remove it (column 'city')")
    }

    @Test func injectionInADisplayNameFromTheNameColumn() throws {
        let recipients = "name,email\n\"Evil\nBcc: victim@example.com\",e@example.org\n"
        let fixture = try CampaignFixture(template: "Subject: x\n\nBody\n", recipients: recipients)
        defer { fixture.folder.remove() }
        let report = fixture.check()
        #expect(report.errorCount == 1)
        #expect(report.diagnostics.first?.columnName == "name")
        #expect(report.diagnostics.first?.line == 2)
    }

    @Test func injectionFromJSONDataPointsAtTheHeaderLine() throws {
        let fixture = try CampaignFixture(template: "Subject: {{ headline }}\n\nBody\n", recipients: "name,email\nA,a@example.org\n",
                                          extra: ["data.json": "{\"headline\": \"Hi\\r\\nBcc: victim@example.com\"}"],
                                          manifest: ["data": "[\"data.json\"]"])
        defer { fixture.folder.remove() }
        let report = fixture.check()
        #expect(report.errorCount == 1)
        let diagnostic = try #require(report.diagnostics.first)
        #expect(diagnostic.path.hasSuffix("template.txt"))
        #expect(diagnostic.line == 1)
        #expect(diagnostic.message.hasPrefix("the Subject header would contain a line break"))
    }

    @Test func brokenCampaignListsEveryProblemWithItsLine() throws {
        let template = """
        Subject: For {{recipient.ambassador}}
        Date: today
        To: {{recipient.email}}

        Your Excellency {{recipient.ambasador}},
        {{#demands}}{{@number}}. {{.}}
        {{ recipient.city | shout }}
        """
        let recipients = "name,email,ambassador\nA,a@example.org,Mr A\nB,not-an-address,Ms B\nC,c@example.org\nD,d@example.org,Mr D\n"
        let fixture = try CampaignFixture(template: template, recipients: recipients)
        defer { fixture.folder.remove() }
        let report = fixture.check()
        let lines = report.diagnostics.map { "\($0.path.split(separator: "/").last ?? ""):\($0.line ?? 0): \($0.message.prefix(40))" }
        #expect(lines == [
            "template.txt:2: the header 'Date' cannot be set in a tem",
            "template.txt:6: section 'demands' is never closed; add {",
            "template.txt:7: unknown filter 'shout'; the filters are ",
        ])
        #expect(report.errorCount == 3)

        // With the template fixed, the row problems show, each with its line.
        try fixture.folder.write("template.txt", "Subject: For {{recipient.ambassador}}\nTo: {{recipient.email}}\n\nYour Excellency {{recipient.ambasador}},\n")
        let rows = fixture.check()
        #expect(rows.diagnostics.map(\.description) == [
            "\(fixture.folder.url.path)/template.txt:4:19: error: no value for 'recipient.ambasador'; add it to the data, or write {{recipient.ambasador | default: \"…\"}} to allow a blank (in 2 messages)\nYour Excellency {{recipient.ambasador}},\n                  ^",
            "\(fixture.folder.url.path)/recipients.csv:3: error: the address 'not-an-address' has no '@'; an address looks like name@example.org (column 'email')",
            "\(fixture.folder.url.path)/recipients.csv:4: error: this row has 2 fields but the first row names 3 columns",
        ])
        #expect(rows.summary == "4 messages, 3 errors, 0 warnings")
    }

    @Test func addressInATemplateHeaderPointsAtTheRowItCameFrom() throws {
        let recipients = "name,email,press\nA,a@example.org,press@@example.org\n"
        let fixture = try CampaignFixture(template: "Subject: x\nCc: {{recipient.press}}\n\nBody\n", recipients: recipients)
        defer { fixture.folder.remove() }
        let report = fixture.check()
        #expect(report.diagnostics.first?.columnName == "press")
        #expect(report.diagnostics.first?.line == 2)
        #expect(report.diagnostics.first?.message.hasSuffix("(in the Cc header)") == true)
    }

    @Test func manifestProblemsPointIntoTheCampaignFile() throws {
        let fixture = try CampaignFixture(template: "Subject: x\n\nBody\n", recipients: "name,email\nA,a@example.org\n",
                                          manifest: ["from": "\"someone\"", "colour": "\"red\""])
        defer { fixture.folder.remove() }
        try fixture.folder.write("campaign.json", """
        {
          "name": "t",
          "sender": {"name": "C", "address": "c@example.org"},
          "template": "template.txt",
          "recipients": "recipients.csv",
          "mode": "each-person",
          "colour": "red"
        }
        """)
        let report = fixture.check()
        #expect(report.diagnostics.map { "\($0.severity):\($0.line ?? 0):\($0.column ?? 0)" } == ["warning:7:13", "error:6:11"])
        #expect(report.diagnostics.last?.message == "\"mode\" must be one of each-recipient, each-signer, joint, not \"each-person\"")
    }

    @Test func missingFilesAreReportedAsMissing() throws {
        let fixture = try CampaignFixture(template: "Subject: x\n\nBody\n", recipients: "name,email\nA,a@example.org\n",
                                          manifest: ["attachments": "[\"leaflet.pdf\"]", "data": "[\"nope.json\"]"])
        defer { fixture.folder.remove() }
        let report = fixture.check()
        #expect(report.hasMissingFile)
        #expect(report.diagnostics.map { $0.path.split(separator: "/").last.map(String.init) ?? "" } == ["nope.json", "leaflet.pdf"])
    }

    @Test func unreachableColumnsAreReported() throws {
        let fixture = try CampaignFixture(template: "Subject: x\n\nBody\n", recipients: "name,email,e.mail2\nA,a@example.org,x\n")
        defer { fixture.folder.remove() }
        let report = fixture.check()
        #expect(report.diagnostics.first?.description.contains("warning: no tag can reach this column's name ({{recipient.e.mail2}} would not work)") == true)
    }
}
