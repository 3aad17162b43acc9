import Foundation
import MegaphoneTestSupport
import Testing

/// Bounces from real servers on loopback: delivery reports written by Postfix itself,
/// and a mailbox read over IMAP from Dovecot.
@Suite(.serialized) struct RealServerBounceTests {
    /// Postfix relays one letter to an address its second smtpd refuses (550 5.1.1),
    /// and one to a domain whose server is unreachable; it returns a delivery report
    /// for each to the VERP address, which lands in its Maildir.
    @Test func postfixsOwnDeliveryReportsAreMatched() throws {
        let postfix = try PostfixTestServer(bouncing: true)
        defer { postfix.stop() }
        let fixture = try BounceFixture(recipients: ["nobody@refused.example", "someone@unreachable.example"],
                                        smtp: ["--smtp", postfix.url, "--starttls", "never"])
        defer { fixture.folder.remove() }
        var files: [String] = []
        for _ in 0..<600 {
            files = postfix.delivered()
            if files.count >= 2 { break }
            usleep(100_000)
        }
        try #require(files.count == 2, "Postfix returned \(files.count) reports; see \(postfix.folder.path)/postfix.log")
        let letters = try fixture.letters()
        let result = try CLI.run(["bounces", "campaign.json", "--maildir", postfix.maildir.path], in: fixture.folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("bounced     2  (1 hard, 1 soft, 0 blocked by policy)"), "\(result.stdout)")
        let bounces = try fixture.bounces()
        let refused = try #require(bounces["nobody@refused.example"])
        #expect(refused["kind"] as? String == "hard")
        #expect(refused["status"] as? String == "5.1.1")
        #expect((refused["diagnostic"] as? String)?.contains("no such user here") == true)
        #expect((refused["remote_mta"] as? String)?.contains("127.0.0.1") == true)
        let unreachable = try #require(bounces["someone@unreachable.example"])
        #expect(unreachable["kind"] as? String == "soft")
        #expect((unreachable["status"] as? String)?.hasPrefix("4.4.") == true)
        // Each report came to the letter's own VERP address.
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(letters.values.contains { text.contains("bounces+\($0.token)@example.org") })
        }
        let suppressed = try String(contentsOfFile: fixture.suppressedPath, encoding: .utf8)
        #expect(suppressed.hasPrefix("nobody@refused.example  # bounced 5.1.1"))
        #expect(!suppressed.contains("unreachable"))
        let again = try CLI.run(["bounces", "campaign.json", "--maildir", postfix.maildir.path], in: fixture.folder.url)
        #expect(again.stdout.contains("Read 0 returned messages (2 read before, skipped)"), "\(again.stdout)")
    }

    /// The same reading over IMAP (TLS, a test user), changing nothing in the mailbox.
    @Test func anIMAPMailboxIsReadWithoutChangingIt() throws {
        let dovecot = try DovecotTestServer()
        defer { dovecot.stop() }
        let fixture = try BounceFixture(recipients: ["a@example.com", "b@example.com"])
        defer { fixture.folder.remove() }
        let letters = try fixture.letters()
        let a = try #require(letters["a@example.com"]), b = try #require(letters["b@example.com"])
        try dovecot.deliver(Array(try BounceFixture.sample("dsn-hard.eml", for: a).replacingOccurrences(of: "\n", with: "\r\n").utf8), name: "1.dsn")
        try dovecot.deliver(Array(try BounceFixture.sample("autoreply.eml", for: b).replacingOccurrences(of: "\n", with: "\r\n").utf8), name: "2.auto")
        try fixture.folder.write("imap-password", dovecot.password + "\n")
        let arguments = ["bounces", "campaign.json", "--imap", dovecot.url, "--user", dovecot.user, "--cacert", dovecot.caFile]
        let result = try CLI.run(arguments + ["--password-file", "imap-password"], in: fixture.folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Read 2 returned messages"), "\(result.stdout)")
        #expect(result.stdout.contains("bounced     1  (1 hard, 0 soft, 0 blocked by policy)"))
        #expect(result.stdout.contains("replies     1"))
        #expect(try fixture.bounces()["a@example.com"]?["status"] as? String == "5.1.1")
        // Fetched with BODY.PEEK: no message was marked read (or deleted).
        #expect(dovecot.flags().count == 2)
        #expect(!dovecot.flags().contains { $0.contains("S") || $0.contains("T") })
        // The password from the environment too; a second reading adds nothing.
        let again = try CLI.run(arguments, in: fixture.folder.url, environment: ["MEGAPHONE_IMAP_PASSWORD": dovecot.password])
        #expect(again.stdout.contains("Read 0 returned messages (2 read before, skipped)"), "\(again.stdout)")
        // A wrong password is a configuration error that says what to check, and no password is printed.
        let wrong = try CLI.run(arguments, in: fixture.folder.url, environment: ["MEGAPHONE_IMAP_PASSWORD": "not-the-password"])
        #expect(wrong.status == 78, "\(wrong.stderr)")
        #expect(wrong.stderr.contains("the login was refused"))
        #expect(!wrong.stderr.contains("not-the-password"))
        // An untrusted certificate is refused.
        let untrusted = try CLI.run(["bounces", "campaign.json", "--imap", dovecot.url, "--user", dovecot.user], in: fixture.folder.url,
                                    environment: ["MEGAPHONE_IMAP_PASSWORD": dovecot.password])
        #expect(untrusted.status == 78, "\(untrusted.stderr)")
    }
}
