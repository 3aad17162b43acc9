import Foundation
import MegaphoneCampaign
import MegaphoneTestSupport
import Testing

/// The deliverability gate: every message of every sample campaign, and of the
/// hostile-data campaign, through SpamAssassin's local rules (Debian's spamassassin,
/// `spamassassin -t -L`, no network tests, no Bayes): a score of 1.0 at most, and
/// none of the rules that catch malformed or spam-shaped mail.
@Suite struct DeliverabilityGateTests {
    static let forbidden: Set<String> = [
        "MISSING_MID", "MISSING_DATE", "INVALID_DATE", "INVALID_MSGID", "MISSING_HEADERS", "REPLYTO_WITHOUT_TO_CC",
        "MIME_HTML_ONLY", "MPART_ALT_DIFF", "FROM_EXCESS_BASE64", "MIME_BASE64_TEXT", "SUBJ_ALL_CAPS",
        "TO_NO_BRKTS_HTML_ONLY", "FROM_ADDR_WS",
    ]
    static let samples = ["embassy-protest-csv", "press-release", "solidarity", "petition-csv", "supporters-update"]

    struct Verdict {
        let score: Double
        let rules: [String]
    }

    /// SpamAssassin's verdict on each message, in order.
    static func spamAssassin(_ messages: [[UInt8]]) throws -> [Verdict] {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var mbox: [UInt8] = []
        for message in messages {
            mbox += Array("From megaphone@example.org Wed Dec  2 10:00:00 2026\n".utf8)
            // mbox: LF line endings, and body lines starting "From " quoted.
            let text = String(decoding: message, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
                .replacingOccurrences(of: "\nFrom ", with: "\n>From ")
            mbox += Array(text.utf8) + [10]
        }
        let input = folder.url.appendingPathComponent("messages.mbox")
        try Data(mbox).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/spamassassin")
        process.arguments = ["-t", "-L", "--mbox", "-p", folder.url.appendingPathComponent("user_prefs").path,
                             "--cf", "use_bayes 0", "--cf", "bayes_auto_learn 0", input.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        var verdicts: [Verdict] = []
        let lines = text.components(separatedBy: "\n")
        var index = 0
        while index < lines.count {
            if lines[index].hasPrefix("X-Spam-Status:") {
                var value = String(lines[index].dropFirst("X-Spam-Status:".count))
                index += 1
                while index < lines.count, lines[index].hasPrefix("\t") || lines[index].hasPrefix(" ") {
                    value += lines[index].trimmingCharacters(in: .whitespaces)
                    index += 1
                }
                let score = value.components(separatedBy: "score=").dropFirst().first.flatMap { Double($0.prefix { $0 != " " }) } ?? 99
                let tests = value.components(separatedBy: "tests=").dropFirst().first?.prefix { $0 != " " } ?? ""
                verdicts.append(Verdict(score: score, rules: tests.split(separator: ",").map(String.init).filter { $0 != "none" }))
                continue
            }
            index += 1
        }
        return verdicts
    }

    static func expectClean(_ messages: [ComposedMessage], label: String) throws {
        let verdicts = try spamAssassin(messages.map(\.bytes))
        #expect(verdicts.count == messages.count, "\(label): SpamAssassin gave \(verdicts.count) verdicts for \(messages.count) messages")
        for (message, verdict) in zip(messages, verdicts) {
            let name = "\(label) message \(message.number) (\(message.key))"
            #expect(verdict.score <= 1.0, "\(name): score \(verdict.score), rules \(verdict.rules)")
            #expect(Set(verdict.rules).isDisjoint(with: forbidden), "\(name): \(Set(verdict.rules).intersection(forbidden))")
        }
    }

    static func composed(_ path: String) throws -> [ComposedMessage] {
        let (campaign, problems) = Campaign.open(path, date: CampaignFixture.date)
        let opened = try #require(campaign, "\(problems)")
        let stream = try opened.messages()
        var messages: [ComposedMessage] = []
        while let outcome = stream.next() { if case .composed(let message) = outcome { messages.append(message) } }
        return messages
    }

    @Test(arguments: samples) func sampleCampaignPassesTheGate(name: String) throws {
        let messages = try Self.composed(CLI.packageRoot.appendingPathComponent("campaigns/\(name).json").path)
        #expect(!messages.isEmpty)
        try Self.expectClean(messages, label: name)
    }

    /// The round-trip tests' hostile names, subjects and signers, in a letter (their
    /// one-line body, mostly a name in capitals, is SpamAssassin's UPPERCASE_75_100
    /// whatever the data: that is the template's doing, not the data's).
    @Test func hostileDataPassesTheGate() throws {
        let template = """
        Subject: {{recipient.subject}}
        Cc: "{{signer.name}}" <{{signer.email}}>
        X-Signer-City: {{signer.city}}

        To {{recipient.name}},

        I am writing about the oil workers on strike and their lawyer, who has been
        held for two months. I ask your government to release her and to reinstate
        the workers dismissed for taking part in the strike.

        Yours sincerely,
        {{signer.name | upper}}, {{signer.city}}
        """
        let fixture = try CampaignFixture(mode: "each-signer", template: template,
                                          recipients: RoundTripTests.hostileRecipients, signers: RoundTripTests.hostileSigners)
        defer { fixture.folder.remove() }
        let messages = try fixture.messages()
        #expect(messages.count == 32)
        try Self.expectClean(messages, label: "hostile")
    }

    /// The gate can fail: a message that breaks the rules is caught.
    @Test func theGateCatchesASpamShapedMessage() throws {
        let bad = Array("From: campaign@example.org\r\nTo: a@example.org\r\nSubject: FREE MONEY NOW\r\nContent-Type: text/html\r\n\r\n<html><body><p>Click here</p></body></html>\r\n".utf8)
        let verdict = try #require(try Self.spamAssassin([bad]).first)
        #expect(!Set(verdict.rules).isDisjoint(with: Self.forbidden), "\(verdict.rules)")
    }
}
