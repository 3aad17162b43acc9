import Foundation
import MegaphoneTestSupport
import Testing

/// `megaphone bounces` on recorded samples of the common formats, in a Maildir and an mbox.
@Suite struct BouncesCommandTests {
    static let addresses = (1...8).map { "person\($0)@example.com" }

    @Test func everyFormatIsMatchedAndClassedAndASecondRunAddsNothing() throws {
        let fixture = try BounceFixture(recipients: Self.addresses)
        defer { fixture.folder.remove() }
        let letters = try fixture.letters()
        #expect(letters.count == 8)
        func letter(_ n: Int) throws -> BounceFixture.Letter { try #require(letters["person\(n)@example.com"]) }
        // X-Campaign alone: no token (the report went to the plain address) and no Message-ID.
        let byCampaignHeader = try BounceFixture.sample("dsn-hard.eml", for: letter(7))
            .replacingOccurrences(of: "bounces+\(try letter(7).token)", with: "campaign")
            .replacingOccurrences(of: "Message-ID: <\(try letter(7).messageID)>", with: "X-Campaign: bounce-test")
            .replacingOccurrences(of: "20261202100001.A1B2C3@mx.example.com", with: "xcampaign-1@mx.example.com")
        let mailbox = try fixture.maildir("returned", [
            ("1.dsn-hard", try BounceFixture.sample("dsn-hard.eml", for: letter(1))),
            ("2.dsn-full", try BounceFixture.sample("dsn-full.eml", for: letter(2))),
            ("3.dsn-blocked", try BounceFixture.sample("dsn-blocked.eml", for: letter(3))),
            ("4.dsn-delayed", try BounceFixture.sample("dsn-delayed.eml", for: letter(4))),
            ("5.qmail", try BounceFixture.sample("qmail.eml", for: letter(5))),
            ("6.exchange", try BounceFixture.sample("exchange-plain.eml", for: letter(6))),
            ("7.xcampaign", byCampaignHeader),
            ("8.autoreply", try BounceFixture.sample("autoreply.eml", for: letter(8))),
            ("9.reply", try BounceFixture.sample("reply.eml", for: letter(8))),
            ("10.foreign", try BounceFixture.sample("foreign.eml", for: letter(8))),
        ])
        let before = try FileManager.default.contentsOfDirectory(atPath: mailbox + "/new").sorted()
        let first = try CLI.run(["bounces", "campaign.json", "--maildir", "returned"], in: fixture.folder.url)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Read 10 returned messages"), "\(first.stdout)")
        #expect(first.stdout.contains("bounced     7  (4 hard, 2 soft, 1 blocked by policy)"), "\(first.stdout)")
        #expect(first.stdout.contains("replies     2"))
        #expect(first.stdout.contains("unmatched   1"))
        #expect(first.stdout.contains("automatic reply: Press Officer <press.officer@example.com> — Automatic reply: Letter"))
        #expect(first.stdout.contains("reply: A Reader <reader@example.com> — Re: Letter"))

        let bounces = try fixture.bounces()
        func bounce(_ n: Int) -> [String: Any] { bounces["person\(n)@example.com"] ?? [:] }
        #expect(bounce(1)["kind"] as? String == "hard")
        #expect(bounce(1)["status"] as? String == "5.1.1")
        #expect(bounce(1)["action"] as? String == "failed")
        #expect(bounce(1)["remote_mta"] as? String == "mail.example.com")
        #expect(bounce(1)["final_recipient"] as? String == "person1@example.com")
        #expect((bounce(1)["diagnostic"] as? String)?.hasPrefix("550 5.1.1 <person1@example.com>: Recipient address rejected: User unknown") == true)
        #expect(bounce(1)["source"] as? String == "20261202100001.A1B2C3@mx.example.com")
        #expect(bounce(2)["kind"] as? String == "soft")     // 5.2.2 mailbox full
        #expect(bounce(3)["kind"] as? String == "blocked")  // 5.7.1 policy
        #expect(bounce(4)["kind"] as? String == "soft")     // delayed
        #expect(bounce(4)["action"] as? String == "delayed")
        #expect(bounce(5)["kind"] as? String == "hard")     // qmail (#5.1.1)
        #expect(bounce(5)["status"] as? String == "5.1.1")
        #expect(bounce(5)["diagnostic"] as? String == "Sorry, no mailbox here by that name. (#5.1.1)")
        #expect(bounce(6)["kind"] as? String == "hard")     // Exchange, matched by Message-ID only
        #expect(bounce(6)["status"] as? String == "5.1.10")
        #expect(bounce(7)["kind"] as? String == "hard")     // X-Campaign and recipient
        #expect(bounces["person8@example.com"] == nil)      // replies are never bounces

        // Hard bounces only go on the suppression list.
        let suppressed = try String(contentsOfFile: fixture.suppressedPath, encoding: .utf8)
        let listed = suppressed.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(Set(listed) == ["person1@example.com", "person5@example.com", "person6@example.com", "person7@example.com"])
        #expect(suppressed.contains("# bounced 5.1.1"))

        // The mailbox is untouched, and a second run adds nothing.
        #expect(try FileManager.default.contentsOfDirectory(atPath: mailbox + "/new").sorted() == before)
        let logBefore = try String(contentsOfFile: fixture.logPath, encoding: .utf8)
        let second = try CLI.run(["bounces", "campaign.json", "--maildir", "returned"], in: fixture.folder.url)
        #expect(second.status == 0)
        #expect(second.stdout.contains("Read 0 returned messages (10 read before, skipped)"), "\(second.stdout)")
        #expect(try String(contentsOfFile: fixture.logPath, encoding: .utf8) == logBefore)
        #expect(try String(contentsOfFile: fixture.suppressedPath, encoding: .utf8) == suppressed)

        // megaphone log: the bounced state with its reason; --csv's bounce column.
        let log = try CLI.run(["log", "campaign.json"], in: fixture.folder.url)
        #expect(log.stdout.contains("bounced     7"), "\(log.stdout)")
        #expect(log.stdout.contains("#1 person1@example.com — hard 5.1.1: 550 5.1.1"))
        let csv = try CLI.run(["log", "campaign.json", "--csv"], in: fixture.folder.url)
        #expect(csv.stdout.hasPrefix("name,email,megaphone_state,megaphone_messages,megaphone_reply,megaphone_time,megaphone_bounce"))
        #expect(csv.stdout.contains("Person 3,person3@example.com,bounced,1,"))
        #expect(csv.stdout.contains("blocked 5.7.1: 550 5.7.1 Message rejected as spam by policy"))
        let only = try CLI.run(["log", "campaign.json", "--state", "bounced", "--json"], in: fixture.folder.url)
        #expect(only.stdout.split(separator: "\n").count == 7)
    }

    @Test func suppressedAddressesAreSkippedBySendAndReportedByCheck() throws {
        let fixture = try BounceFixture(recipients: ["gone@example.com", "here@example.com"], send: false)
        defer { fixture.folder.remove() }
        try fixture.folder.write("campaign.suppressed.txt", "# addresses we no longer write to\nGONE@example.com  # bounced 5.1.1 by hand\n")
        let check = try CLI.run(["check", "campaign.json"], in: fixture.folder.url)
        #expect(check.status == 0)
        #expect(check.stdout.contains("1 suppressed address (bounced or unsubscribed); 1 message goes only to them, and send skips it"), "\(check.stdout)")
        let send = try CLI.run(["send", "campaign.json", "-q"], in: fixture.folder.url)
        #expect(send.status == 0, "\(send.stderr)")
        #expect(send.stderr.contains("suppressed              1"), "\(send.stderr)")
        let states = try fixture.records().filter { $0["key"] != nil }.map { ($0["key"] as? String ?? "", $0["state"] as? String ?? "") }
        #expect(states.contains { $0 == ("gone@example.com", "suppressed") })
        #expect(!states.contains { $0.0 == "gone@example.com" && ["attempt", "failed", "sent"].contains($0.1) })
        #expect(states.contains { $0 == ("here@example.com", "sent") })
        // A second run does not log it again; --include-suppressed sends it.
        let again = try CLI.run(["send", "campaign.json", "-q"], in: fixture.folder.url)
        #expect(again.status == 0)
        #expect(try fixture.records().filter { $0["state"] as? String == "suppressed" }.count == 1)
        let included = try CLI.run(["send", "campaign.json", "-q", "--include-suppressed"], in: fixture.folder.url)
        #expect(included.status == 0, "\(included.stderr)")
        #expect(try fixture.records().contains { $0["key"] as? String == "gone@example.com" && $0["state"] as? String == "sent" })
    }

    /// Exim's plain-text bounce says `Auto-Submitted: auto-replied` too: still a bounce.
    @Test func eximsBounceIsABounceNotAnAutoReply() throws {
        let fixture = try BounceFixture(recipients: ["gone@example.com"])
        defer { fixture.folder.remove() }
        let letter = try #require(try fixture.letters()["gone@example.com"])
        _ = try fixture.maildir("returned", [("1.exim", try BounceFixture.sample("exim.eml", for: letter))])
        let result = try CLI.run(["bounces", "campaign.json", "--maildir", "returned"], in: fixture.folder.url)
        #expect(result.stdout.contains("bounced     1  (1 hard, 0 soft, 0 blocked by policy)"), "\(result.stdout)")
        #expect(result.stdout.contains("replies     0"))
        let bounce = try #require(try fixture.bounces()["gone@example.com"])
        #expect(bounce["status"] as? String == "5.1.1")
        #expect(bounce["final_recipient"] as? String == "gone@example.com")
    }

    @Test func anMboxIsReadToo() throws {
        let fixture = try BounceFixture(recipients: ["a@example.com", "b@example.com"])
        defer { fixture.folder.remove() }
        let letters = try fixture.letters()
        let a = try #require(letters["a@example.com"]), b = try #require(letters["b@example.com"])
        let mbox = "From MAILER-DAEMON Wed Dec  2 10:00:01 2026\n" + (try BounceFixture.sample("dsn-hard.eml", for: a))
            + "\nFrom MAILER-DAEMON Wed Dec  2 10:05:00 2026\n" + (try BounceFixture.sample("qmail.eml", for: b)).replacingOccurrences(of: "\nFrom ", with: "\n>From ") + "\n"
        try fixture.folder.write("returned.mbox", mbox)
        let result = try CLI.run(["bounces", "campaign.json", "--mbox", "returned.mbox"], in: fixture.folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("bounced     2  (2 hard, 0 soft, 0 blocked by policy)"), "\(result.stdout)")
    }

    @Test func usageAndMissingInputs() throws {
        let fixture = try BounceFixture(recipients: ["a@example.com"], send: false)
        defer { fixture.folder.remove() }
        let none = try CLI.run(["bounces", "campaign.json"], in: fixture.folder.url)
        #expect(none.status == 64)
        #expect(none.stderr.contains("Give one of --maildir DIR, --mbox FILE or --imap imaps://HOST/INBOX"))
        let noLog = try CLI.run(["bounces", "campaign.json", "--maildir", "nowhere"], in: fixture.folder.url)
        #expect(noLog.status == 66)
        let plain = try CLI.run(["bounces", "campaign.json", "--imap", "imaps://user:secret@127.0.0.1/INBOX"], in: fixture.folder.url)
        #expect(plain.status == 78)
        #expect(plain.stderr.contains("a password in the --imap URL"))
    }

    @Test(arguments: ["bounces+x@example.org", "\(String(repeating: "b", count: 50))@example.org"])
    func aBounceAddressVERPCannotExtendIsRefused(address: String) throws {
        let fixture = try BounceFixture(recipients: ["a@example.com"], send: false)
        defer { fixture.folder.remove() }
        let manifest = try String(contentsOfFile: fixture.campaign, encoding: .utf8).replacingOccurrences(of: "bounces@example.org", with: address)
        try fixture.folder.write("campaign.json", manifest)
        let check = try CLI.run(["check", "campaign.json"], in: fixture.folder.url)
        #expect(check.status == 65)
        #expect(check.stdout.contains("campaign.json:2:"), "\(check.stdout)")
        #expect(check.stdout.contains("\"bounce\""))
    }

    @Test func theEnvelopeSenderCarriesAStableTokenAndFromDoesNotChange() throws {
        let fixture = try BounceFixture(recipients: ["a@example.com"])
        defer { fixture.folder.remove() }
        let token = try #require(try fixture.letters()["a@example.com"]?.token)
        #expect(token.count == 16)
        #expect(token.allSatisfy { "abcdefghijklmnopqrstuvwxyz234567".contains($0) })
        let outbox = fixture.folder.url.appendingPathComponent("outbox/new")
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: outbox.path).first)
        let text = try String(contentsOfFile: outbox.appendingPathComponent(file).path, encoding: .utf8)
        #expect(text.hasPrefix("Return-Path: <bounces+\(token)@example.org>"))
        #expect(text.contains("From: Campaign <campaign@example.org>"))
        // The same message gets the same token on a later run (the secret is kept beside the campaign).
        let secret = fixture.folder.url.appendingPathComponent("campaign.secret").path
        let attributes = try FileManager.default.attributesOfItem(atPath: secret)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        try FileManager.default.removeItem(atPath: fixture.logPath)
        try FileManager.default.removeItem(at: fixture.folder.url.appendingPathComponent("outbox"))
        _ = try CLI.run(["send", "campaign.json", "-q"], in: fixture.folder.url)
        #expect(try fixture.letters()["a@example.com"]?.token == token)
    }
}
