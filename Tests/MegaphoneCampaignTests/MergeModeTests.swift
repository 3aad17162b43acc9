import Foundation
import MegaphoneCampaign
import MegaphoneMail
import MegaphoneTestSupport
import Testing

@Suite struct MergeModeTests {
    static let recipients = "name,email,ambassador\nEmbassy in London,london@example.org,Mr Akhmetov\nEmbassy in Berlin,berlin@example.org,Ms Seitkali\n"
    static let signers = "name,email,city\nAna Li,ana@example.com,Leeds\nBo Chen,bo@example.com,Lyon\nCy Dee,cy@example.com,Oslo\n"

    @Test func eachRecipientIsOneMessagePerRow() throws {
        let fixture = try CampaignFixture(template: "Subject: For {{recipient.ambassador}}\n\nDear {{recipient.ambassador}},\n", recipients: Self.recipients)
        defer { fixture.folder.remove() }
        let messages = try fixture.messages()
        #expect(messages.map(\.number) == [1, 2])
        #expect(messages.map(\.key) == ["london@example.org", "berlin@example.org"])
        #expect(messages.map(\.message.subject) == ["For Mr Akhmetov", "For Ms Seitkali"])
        #expect(messages[0].message.to.map(\.displayName) == ["Embassy in London"])
        #expect(messages[0].message.from.address.description == "campaign@example.org")
        #expect(messages[0].message.text == "Dear Mr Akhmetov,\n")
    }

    @Test func eachSignerIsSignerTimesRecipientInOrder() throws {
        let fixture = try CampaignFixture(mode: "each-signer",
                                          template: "Subject: From {{signer.name}}\n\n{{signer.name | upper}}, {{signer.city}} to {{recipient.ambassador}}\n",
                                          recipients: Self.recipients, signers: Self.signers)
        defer { fixture.folder.remove() }
        let messages = try fixture.messages()
        #expect(messages.count == 6)
        #expect(messages.map(\.message.text) == [
            "ANA LI, Leeds to Mr Akhmetov\n", "BO CHEN, Lyon to Mr Akhmetov\n", "CY DEE, Oslo to Mr Akhmetov\n",
            "ANA LI, Leeds to Ms Seitkali\n", "BO CHEN, Lyon to Ms Seitkali\n", "CY DEE, Oslo to Ms Seitkali\n",
        ])
        #expect(messages.map(\.number) == Array(1...6))
        #expect(messages[4].key == "berlin@example.org bo@example.com")
        #expect(Set(messages.map(\.message.messageID)).count == 6)
    }

    @Test func eachSignerFromIsDMARCSafe() throws {
        let fixture = try CampaignFixture(mode: "each-signer", template: "Subject: x\n\nbody\n", recipients: Self.recipients, signers: Self.signers)
        defer { fixture.folder.remove() }
        let message = try #require(try fixture.messages().first).message
        #expect(message.from.displayName == "Ana Li via Campaign Kazakhstan")
        #expect(message.from.address.description == "campaign@example.org")
        #expect(message.replyTo.map(\.address.description) == ["ana@example.com"])
        #expect(message.replyTo.map(\.displayName) == ["Ana Li"])
        #expect(message.envelopeFrom.description == "campaign@example.org")
        #expect(fixture.check().warningCount == 0)
    }

    @Test func fromSignerWhenTheCampaignAllowsItDrawsAWarning() throws {
        let fixture = try CampaignFixture(mode: "each-signer", template: "Subject: x\n\nbody\n", recipients: Self.recipients,
                                          signers: Self.signers, manifest: ["from": "\"signer\""])
        defer { fixture.folder.remove() }
        let message = try #require(try fixture.messages().first).message
        #expect(message.from.address.description == "ana@example.com")
        #expect(message.replyTo.isEmpty)
        #expect(message.envelopeFrom.description == "campaign@example.org")
        let report = fixture.check()
        #expect(report.errorCount == 0)
        #expect(report.diagnostics.contains { $0.severity == .warning && $0.message.hasPrefix("the From address ana@example.com is not in the sender's domain (example.org)") })
    }

    @Test func jointCarriesTheWholeDeduplicatedSignerList() throws {
        let signers = Self.signers + "Ana Li,ana@EXAMPLE.COM,Leeds\n"
        let fixture = try CampaignFixture(mode: "joint",
                                          template: "Subject: Petition ({{signers | count}})\n\n{{#signers}}{{@number}}. {{name | upper}}, {{city}}\n{{/signers}}",
                                          recipients: Self.recipients, signers: signers)
        defer { fixture.folder.remove() }
        let messages = try fixture.messages()
        #expect(messages.count == 2)
        #expect(messages[0].message.subject == "Petition (3)")
        #expect(messages[0].message.text == "1. ANA LI, Leeds\n2. BO CHEN, Lyon\n3. CY DEE, Oslo\n")
        let report = fixture.check()
        #expect(report.diagnostics.map(\.description) == ["\(fixture.folder.url.path)/signers.csv:5: warning: this signer is listed again (first on line 2); they are counted once"])
        #expect(report.summary == "2 messages, 0 errors, 1 warning")
    }

    @Test func duplicateRecipientIsSentOneMessage() throws {
        let recipients = Self.recipients + "London again,london@EXAMPLE.org,Mr Akhmetov\n"
        let fixture = try CampaignFixture(template: "Subject: x\n\nbody\n", recipients: recipients)
        defer { fixture.folder.remove() }
        #expect(try fixture.messages().count == 2)
        let report = fixture.check()
        #expect(report.summary == "2 messages, 0 errors, 1 warning")
        #expect(report.diagnostics.first?.description
            == "\(fixture.folder.url.path)/recipients.csv:4: warning: london@example.org is listed again (first on line 2); it is sent one message")
    }

    @Test func headersFromTheTemplate() throws {
        let template = """
        Subject: Letter for {{recipient.name}}
        To: "{{recipient.ambassador}}" <{{recipient.email}}>, press@example.org
        Cc: {{sender.name}} <{{sender.address}}>
        Bcc: archive@example.org
        Reply-To: replies@example.org
        X-Campaign: {{campaign.name}}

        Body
        """
        let fixture = try CampaignFixture(template: template, recipients: Self.recipients)
        defer { fixture.folder.remove() }
        let message = try #require(try fixture.messages().first)
        #expect(message.message.to.map(\.displayName) == ["Mr Akhmetov", ""])
        #expect(message.message.envelopeRecipients.map(\.description) == ["london@example.org", "press@example.org", "campaign@example.org", "archive@example.org"])
        #expect(!message.text.contains("archive@example.org"))
        #expect(message.text.contains("\r\nX-Campaign: test-campaign\r\n"))
        #expect(message.text.contains("\r\nReply-To: replies@example.org\r\n"))
    }

    @Test func languageVariantsByRow() throws {
        let recipients = "name,email,language\nA,a@example.org,ru\nB,b@example.org,\nC,c@example.org,kk\nD,d@example.org,pt-BR\n"
        let fixture = try CampaignFixture(
            template: "Subject: Letter\n\nEnglish {{ when | date: \"d MMMM\" }}\n", recipients: recipients,
            extra: [
                "template.ru.txt": "Subject: Письмо\n\nРусский {{ when | date: \"d MMMM\" }}\n",
                "template.kk.txt": "Subject: Хат\n\n{{ word | upper }}\n",
                "template.pt.txt": "Subject: Carta\n\nPortuguês\n",
                "data.json": "{\"when\": \"2026-11-27\", \"word\": \"istanbul\"}",
            ],
            manifest: ["data": "[\"data.json\"]"])
        defer { fixture.folder.remove() }
        let messages = try fixture.messages()
        #expect(messages.map(\.message.subject) == ["Письмо", "Letter", "Хат", "Carta"])
        #expect(messages.map(\.message.text) == ["Русский 27 ноября\n", "English 27 November\n", "İSTANBUL\n", "Português\n"])
    }

    @Test func limitStopsEarlyAndNumbersStayTheSame() throws {
        let fixture = try CampaignFixture(template: "Subject: x\n\n{{recipient.name}}\n", recipients: Self.recipients)
        defer { fixture.folder.remove() }
        let stream = try fixture.open().messages(limit: 1)
        guard case .composed(let first)? = stream.next() else { Issue.record("no first message"); return }
        #expect(first.number == 1)
        #expect(stream.next() == nil)
    }

    @Test func messageIDsAreStableAcrossRuns() throws {
        let fixture = try CampaignFixture(template: "Subject: x\n\n{{recipient.name}}\n", recipients: Self.recipients)
        defer { fixture.folder.remove() }
        #expect(try fixture.messages().map(\.message.messageID) == fixture.messages().map(\.message.messageID))
        #expect(try fixture.messages().map(\.bytes) == fixture.messages().map(\.bytes))
    }
}

extension MessageOutcome? {
    static func == (lhs: MessageOutcome?, rhs: MessageOutcome?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): true
        default: false
        }
    }
}
