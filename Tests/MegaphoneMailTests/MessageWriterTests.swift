import Foundation
import MegaphoneDigest
import MegaphoneMail
import MegaphoneTestSupport
import Testing

private let fixedDate = Date(timeIntervalSince1970: 1_795_000_000)

private func mailbox(_ name: String, _ address: String) throws -> Mailbox {
    try Mailbox(displayName: name, address: EmailAddress(address))
}

private func sampleMessage(subject: String = "Free the lawyer", toName: String = "Daniyar Akhmetov") throws -> Message {
    var message = Message(
        from: try mailbox("Campaign Kazakhstan", "campaign@example.org"),
        to: [try mailbox(toName, "ambassador@embassy.example.org")],
        subject: subject, date: fixedDate,
        messageID: Message.messageID(campaign: "embassy-protest", key: "ambassador@embassy.example.org", domain: "example.org"),
        text: "Your Excellency,\n\nPlease act.\n", envelopeFrom: try EmailAddress("bounces@example.org"))
    message.cc = [try mailbox("Campaign Kazakhstan", "campaign@example.org")]
    return message
}

@Suite struct MessageWriterTests {
    static let goldenFolder = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/golden")

    private func golden(_ name: String, _ bytes: [UInt8]) throws {
        let url = Self.goldenFolder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["MEGAPHONE_UPDATE_GOLDEN"] == "1" {
            try Data(bytes).write(to: url)
        }
        let expected = try [UInt8](Data(contentsOf: url))
        #expect(bytes == expected, "differs from \(name); run with MEGAPHONE_UPDATE_GOLDEN=1 to see the new output")
    }

    @Test func plainASCIIMessageMatchesGolden() throws {
        try golden("plain.eml", try MessageWriter.write(try sampleMessage()))
    }

    @Test func alternativeWithAttachmentMatchesGolden() throws {
        var message = try sampleMessage(subject: "Свободу юристу — free the lawyer", toName: "Посол Ахметов")
        message.text = "Ваше превосходительство,\n\nОсвободите юриста.\n.\nFrom the campaign\n"
        message.html = "<p>Ваше превосходительство,</p>\n<p>Освободите юриста.</p>\n"
        message.attachments = [Attachment(filename: "заявление о забастовке.pdf", contentType: "application/pdf",
                                          data: Array("%PDF-1.4 fictional".utf8))]
        message.extraHeaders = [Message.Header(name: "X-Campaign", value: "embassy-protest")]
        try golden("alternative-attachment.eml", try MessageWriter.write(message))
    }

    @Test func onlyCRLFAndShortLines() throws {
        var message = try sampleMessage(subject: String(repeating: "Freedom for the strikers ", count: 80))
        message.text = "line one\nline two\rline three\r\n" + String(repeating: "x", count: 3000) + "\n"
        let bytes = try MessageWriter.write(message)
        var previous: UInt8 = 0
        for (index, byte) in bytes.enumerated() {
            if byte == 10 { #expect(previous == 13, "bare LF at \(index)") }
            if previous == 13 { #expect(byte == 10, "bare CR at \(index - 1)") }
            previous = byte
        }
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 998 })
        let headerLines = lines.prefix { !$0.isEmpty }
        #expect(headerLines.allSatisfy { $0.utf8.count <= 78 })
    }

    @Test func bccNeverWritten() throws {
        var message = try sampleMessage()
        message.bcc = [try mailbox("Hidden", "hidden@example.com")]
        let text = String(decoding: try MessageWriter.write(message), as: UTF8.self)
        #expect(!text.contains("hidden@example.com"))
        #expect(!text.lowercased().contains("bcc"))
        #expect(message.envelopeRecipients.map(\.description) == ["ambassador@embassy.example.org", "campaign@example.org", "hidden@example.com"])
    }

    @Test(arguments: ["Subject line\r\nBcc: victim@example.com", "tab\tok but nul\0", "line\nbreak"])
    func headerInjectionIsRefused(value: String) throws {
        var message = try sampleMessage(subject: value)
        if !value.contains("\r"), !value.contains("\n"), !value.contains("\0") { return }
        #expect(throws: MessageError.self) { try MessageWriter.write(message) }
        message.subject = "ok"
        message.extraHeaders = [Message.Header(name: "X-Note", value: value)]
        let error = #expect(throws: MessageError.self) { try MessageWriter.write(message) }
        #expect(error?.header == "X-Note")
    }

    @Test func messageIDIsDeterministic() {
        let a = Message.messageID(campaign: "c", key: "x@example.org", domain: "example.org")
        #expect(a == Message.messageID(campaign: "c", key: "x@example.org", domain: "example.org"))
        #expect(a != Message.messageID(campaign: "c", key: "y@example.org", domain: "example.org"))
        #expect(a != Message.messageID(campaign: "d", key: "x@example.org", domain: "example.org"))
        #expect(a.hasSuffix("@example.org") && a.hasPrefix("megaphone."))
    }

    static let hostileNames = [
        "Ақжол Нұрланұлы", "Дмитрий Иванов", "محمد العلي", "✊ Solidarity 🛢️", "Akhmetov, Daniyar",
        "O'Brien \"Danny\" Smith", "Ms. Moreau", "=?utf-8?q?fake?=", "semi; colon", "<angle> brackets",
        "back\\slash", "Zoë Müller-Lüdenscheidt, Gewerkschaft ver.di", "  spaced   name  ", "Ана «Профсоюз», Алматы",
        String(repeating: "Қ", count: 120), String(repeating: "long-ascii-", count: 30),
    ]

    static let hostileSubjects = [
        "Қазақстан: free Aliya now", "Свободу — free — الحرية", "✊🛢️ Solidarity with the strikers ✊",
        "=?utf-8?b?ZmFrZQ==?= not encoded", "quotes \"and\" commas, semicolons; <angles>",
        String(repeating: "Ж", count: 2000), String(repeating: "a", count: 2000),
        String(repeating: "word ", count: 400).trimmingCharacters(in: .whitespaces),
        "tabs\tinside\tsubject", "multiple   spaces   kept", "ends with emoji 👩🏽‍🔧",
    ]

    @Test func hostileHeadersRoundTripThroughPython() throws {
        var messages: [[UInt8]] = []
        var expected: [(name: String, subject: String)] = []
        for (index, name) in Self.hostileNames.enumerated() {
            let subject = Self.hostileSubjects[index % Self.hostileSubjects.count]
            var message = try sampleMessage(subject: subject, toName: name)
            message.replyTo = [try mailbox(name, "reply@example.com")]
            message.extraHeaders = [Message.Header(name: "X-Signer", value: name.trimmingCharacters(in: .whitespaces))]
            messages.append(try MessageWriter.write(message))
            expected.append((name.split(separator: " ").joined(separator: " "), subject))
        }
        for subject in Self.hostileSubjects {
            messages.append(try MessageWriter.write(try sampleMessage(subject: subject)))
            expected.append(("Daniyar Akhmetov", subject))
        }
        let parsed = try PythonEmail.parse(messages: messages)
        #expect(parsed.count == messages.count)
        for (result, want) in zip(parsed, expected) {
            #expect(result.defects == [], "\(want.name) / \(want.subject.prefix(40))")
            #expect(result.headers["Subject"] == [want.subject], "subject of \(result.source)")
            #expect(result.mailboxes("To").map(\.name) == [want.name])
            #expect(result.mailboxes("To").map(\.address) == ["ambassador@embassy.example.org"])
            #expect(result.bare_line_endings == false)
            #expect(result.longest_line <= 998)
            #expect(result.text == "Your Excellency,\n\nPlease act.\n")
        }
    }

    @Test func bodiesAndAttachmentsRoundTrip() throws {
        var message = try sampleMessage()
        let text = "Қазақстан\n\nLine with trailing spaces   \n.leading dot\nFrom the start\n" + String(repeating: "ж", count: 500) + "\n"
        message.text = text
        message.html = "<p>Ж&amp;</p>\n"
        let pdf = (0..<3000).map { UInt8($0 % 256) }
        message.attachments = [
            Attachment(filename: "report.pdf", contentType: "application/pdf", data: pdf),
            Attachment(filename: "Заявление профсоюза о забастовке нефтяников 2026 года (полный текст).pdf", contentType: "application/pdf", data: [1, 2, 3]),
            Attachment(filename: "quote\"d.txt", contentType: "text/plain", data: Array("hi\r\n".utf8)),
        ]
        let parsed = try PythonEmail.parse(messages: [try MessageWriter.write(message)])
        let result = try #require(parsed.first)
        #expect(result.defects == [])
        #expect(result.text == text)
        #expect(result.html == "<p>Ж&amp;</p>\n")
        #expect(result.attachments.map { $0[0] } == ["report.pdf", "Заявление профсоюза о забастовке нефтяников 2026 года (полный текст).pdf", "quote\"d.txt"])
        #expect(result.attachments[0][2] == CryptoText.sha256(pdf))
        #expect(result.content_type == "multipart/mixed")
    }

    @Test func rfc5322Date() {
        #expect(MessageWriter.rfc5322Date(Date(timeIntervalSince1970: 0)) == "Thu, 1 Jan 1970 00:00:00 +0000")
    }
}
