import Foundation
import MegaphoneCampaign
import MegaphoneMail
import MegaphoneTestSupport
import Testing

/// Every message of every sample campaign, and of a campaign of hostile data, is
/// parsed by Python's email package: zero defects, and every header decodes back
/// to exactly the value that went in.
@Suite struct RoundTripTests {
    static let samples = ["embassy-protest-csv", "press-release", "solidarity", "petition-csv", "supporters-update"]

    private func composed(_ path: String) throws -> [ComposedMessage] {
        let (campaign, problems) = Campaign.open(path, date: CampaignFixture.date)
        let opened = try #require(campaign, "\(problems)")
        let stream = try opened.messages()
        var messages: [ComposedMessage] = []
        while let outcome = stream.next() {
            switch outcome {
            case .composed(let message): messages.append(message)
            case .problems(let problems): Issue.record("\(path): \(problems)")
            }
        }
        return messages
    }

    private func expectRoundTrip(_ messages: [ComposedMessage]) throws {
        let parsed = try PythonEmail.parse(messages: messages.map(\.bytes))
        #expect(parsed.count == messages.count)
        for (composed, result) in zip(messages, parsed) {
            let message = composed.message
            let label = "message \(composed.number) (\(composed.key))"
            #expect(result.defects == [], "\(label)")
            #expect(result.bare_line_endings == false, "\(label)")
            #expect(result.longest_line <= 998, "\(label)")
            #expect(result.headers["Subject"] == [message.subject], "\(label)")
            func pairs(_ mailboxes: [Mailbox]) -> [String] { mailboxes.map { "\($0.displayName) <\($0.address)>" } }
            func parsedPairs(_ header: String) -> [String] { result.mailboxes(header).map { "\($0.name) <\($0.address)>" } }
            #expect(parsedPairs("From") == pairs([message.from]), "\(label)")
            #expect(parsedPairs("To") == pairs(message.to), "\(label)")
            #expect(parsedPairs("Cc") == pairs(message.cc), "\(label)")
            #expect(parsedPairs("Reply-To") == pairs(message.replyTo), "\(label)")
            #expect(!result.header_names.contains("Bcc"), "\(label)")
            #expect(result.headers["Message-ID"] == ["<\(message.messageID)>"], "\(label)")
            for header in message.extraHeaders {
                #expect(result.headers[header.name] == [header.value], "\(label): \(header.name)")
            }
            var text = message.text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            if !text.hasSuffix("\n") { text += "\n" }
            #expect(result.text == text, "\(label)")
            if let html = message.html {
                var expected = html.replacingOccurrences(of: "\r\n", with: "\n")
                if !expected.hasSuffix("\n") { expected += "\n" }
                #expect(result.html == expected, "\(label)")
            }
        }
    }

    @Test(arguments: samples)
    func sampleCampaign(name: String) throws {
        let path = CLI.packageRoot.appendingPathComponent("campaigns/\(name).json").path
        let report = CampaignChecker.check(path, date: CampaignFixture.date)
        #expect(report.errorCount == 0 && report.warningCount == 0, "\(report.diagnostics)")
        let messages = try composed(path)
        #expect(!messages.isEmpty)
        try expectRoundTrip(messages)
    }

    static let hostileRecipients: String = {
        let rows: [(String, String)] = [
            ("Қазақстан Республикасының Елшілігі", "kz@example.org"),
            ("Посольство «Республики» Казахстан, Москва", "ru@example.org"),
            ("سفارة جمهورية كازاخستان", "ar@example.org"),
            ("✊ Solidarity 🛢️ Embassy", "emoji@example.org"),
            ("Akhmetov, Daniyar \"Dan\"", "quotes@example.org"),
            ("=?utf-8?q?not_an_encoded_word?=", "fake@example.org"),
            ("semi; colon <angle> (paren) back\\slash", "specials@example.org"),
            ("Zoë Müller-Lüdenscheidt, ver.di", "de@example.org"),
        ]
        return "name,email,subject\n" + rows.enumerated().map { index, row in
            let subject = index == 0 ? String(repeating: "Қазақстан ", count: 200) : (index == 1 ? String(repeating: "x", count: 2000) : "Re: \(row.0) — =?utf-8?b?Zm9v?=")
            func quote(_ field: String) -> String { "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            return [quote(row.0), row.1, quote(subject)].joined(separator: ",")
        }.joined(separator: "\n") + "\n"
    }()

    static let hostileSigners = """
    name,email,city
    "Айгерим ""Ayka"" Нұрланқызы",ayka@example.com,Ақтау
    "O'Brien, Seán",sean@example.com,"Cork; Ireland"
    محمد العلي,mohammed@example.com,الدار البيضاء
    "<script>alert(1)</script>",xss@example.com,Nowhere

    """

    @Test func hostileDataRoundTrips() throws {
        let template = """
        Subject: {{recipient.subject}}
        Cc: "{{signer.name}}" <{{signer.email}}>
        X-Signer-City: {{signer.city}}

        {{recipient.name}} — {{signer.name | upper}}, {{signer.city}}
        """
        let fixture = try CampaignFixture(mode: "each-signer", template: template,
                                          recipients: Self.hostileRecipients, signers: Self.hostileSigners)
        defer { fixture.folder.remove() }
        let report = fixture.check()
        #expect(report.errorCount == 0, "\(report.diagnostics)")
        let messages = try fixture.messages()
        #expect(messages.count == 32)
        #expect(messages.first?.message.subject.count == 1999)
        #expect(messages.first?.message.from.displayName == "Айгерим \"Ayka\" Нұрланқызы via Campaign Kazakhstan")
        try expectRoundTrip(messages)
    }
}
