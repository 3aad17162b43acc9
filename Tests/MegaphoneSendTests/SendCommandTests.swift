import Foundation
import MegaphoneTestSupport
import Testing

@Suite struct SendCommandTests {
    private func smtp(_ server: SMTPTestServer, _ extra: [String] = []) -> [String] {
        ["--smtp", server.url, "--starttls", "never", "--quiet"] + extra
    }

    @Test func withoutSMTPItGoesToTheOutbox() throws {
        let fixture = try SendFixture(rows: 3)
        defer { fixture.folder.remove() }
        let result = try CLI.run(["send", "campaign.json", "-q"], in: fixture.folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("No --smtp server given: messages go to the outbox Maildir outbox (nothing leaves this machine).\n"))
        let outbox = fixture.folder.url.appendingPathComponent("outbox/new").path
        let files = try FileManager.default.contentsOfDirectory(atPath: outbox)
        #expect(files.count == 3)
        let first = try String(contentsOfFile: "\(outbox)/\(files[0])", encoding: .utf8)
        #expect(first.hasPrefix("Return-Path: <campaign@example.org>\r\nX-Envelope-To: p"))
        #expect(try fixture.states().values.allSatisfy { $0 == "sent" })
        let again = try CLI.run(["send", "campaign.json", "-q"], in: fixture.folder.url)
        #expect(again.status == 0)
        #expect(again.stderr.contains("  already sent            3  by earlier runs\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: outbox).count == 3)
    }

    @Test func sendsEachMessageOnceAndAResumeSendsNothingTwice() throws {
        let server = try SMTPTestServer()
        let fixture = try SendFixture(rows: 25)
        defer { fixture.folder.remove() }
        let result = try CLI.run(["send", "campaign.json", "--connections", "3"] + smtp(server), in: fixture.folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        let stored = try server.messages()
        #expect(stored.count == 25)
        #expect(Set(stored.compactMap(\.toAddress)) == Set((1...25).map { "p\($0)@example.org" }))
        #expect(stored.allSatisfy { $0.mail_from == "campaign@example.org" && $0.rcpt_tos.count == 2 })
        // The bytes on the wire are the message preview shows (but for the Date line).
        let preview = try CLI.run(["preview", "campaign.json", "--number", "7"], in: fixture.folder.url)
        let dropDate: (String) -> String = { $0.components(separatedBy: "\r\n").filter { !$0.hasPrefix("Date: ") }.joined(separator: "\r\n") }
        let seventh = try #require(stored.first { $0.toAddress == "p7@example.org" })
        #expect(dropDate(seventh.text) == dropDate(preview.stdout))
        let records = try fixture.records()
        #expect(records.first?["state"] as? String == "run")
        #expect(records.filter { $0["state"] as? String == "attempt" }.count == 25)
        #expect(records.filter { $0["state"] as? String == "sent" }.count == 25)
        let again = try CLI.run(["send", "campaign.json"] + smtp(server), in: fixture.folder.url)
        #expect(again.status == 0)
        #expect(try server.messages().count == 25)
    }

    @Test func temporaryFailuresAreRetriedThenDeferredThenResumed() throws {
        let flaky = try SMTPTestServer(faults: ["data-451:1"])
        let fixture = try SendFixture(rows: 4)
        defer { fixture.folder.remove() }
        let first = try CLI.run(["send", "campaign.json", "--connections", "1", "--retries", "2", "--max-wait", "50ms"] + smtp(flaky), in: fixture.folder.url)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try flaky.messages().count == 4)
        #expect(try fixture.records().contains { $0["state"] as? String == "deferred" && ($0["reply"] as? [String: Any])?["code"] as? Int == 451 })

        let down = try SMTPTestServer(faults: ["data-451:1000"])
        let other = try SendFixture(rows: 3)
        defer { other.folder.remove() }
        let deferred = try CLI.run(["send", "campaign.json", "--retries", "1", "--max-wait", "20ms"] + smtp(down), in: other.folder.url)
        #expect(deferred.status == 75)
        #expect(try other.states().values.allSatisfy { $0 == "deferred" })
        let up = try SMTPTestServer()
        let resumed = try CLI.run(["send", "campaign.json"] + smtp(up), in: other.folder.url)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try up.messages().count == 3)
        #expect(try other.states().values.allSatisfy { $0 == "sent" })
    }

    @Test func permanentFailureIsRecordedWithTheReplyAndNotRetried() throws {
        let server = try SMTPTestServer(faults: ["data-552"])
        let fixture = try SendFixture(rows: 2)
        defer { fixture.folder.remove() }
        let result = try CLI.run(["send", "campaign.json"] + smtp(server), in: fixture.folder.url)
        #expect(result.status == 65)
        let failed = try fixture.records().filter { $0["state"] as? String == "failed" }
        #expect(failed.count == 2)
        #expect((failed.first?["reply"] as? [String: Any])?["enhanced"] as? String == "5.3.4")
        let again = try CLI.run(["send", "campaign.json"] + smtp(server), in: fixture.folder.url)
        #expect(again.stderr.contains("failed earlier          2"))
    }

    @Test func oneRefusedRecipientDoesNotSinkTheOthers() throws {
        let server = try SMTPTestServer(faults: ["rcpt-550:p2@example.org"])
        let fixture = try SendFixture(rows: 3)
        defer { fixture.folder.remove() }
        let result = try CLI.run(["send", "campaign.json"] + smtp(server), in: fixture.folder.url)
        #expect(result.status == 0)
        #expect(try server.messages().count == 3)
        let note = try fixture.records().first { $0["key"] as? String == "p2@example.org" && $0["state"] as? String == "sent" }?["note"] as? String
        #expect(note == "refused: p2@example.org (550 5.1.1 No such mailbox here)")
    }

    @Test func problemsOfOursStopTheRunWithoutMarkingRecipientsFailed() throws {
        let server = try SMTPTestServer(faults: ["mail-550"])
        let fixture = try SendFixture(rows: 5)
        defer { fixture.folder.remove() }
        let result = try CLI.run(["send", "campaign.json"] + smtp(server), in: fixture.folder.url)
        #expect(result.status == 69)
        #expect(result.stderr.contains("megaphone: stopped: the server refused the sender (MAIL FROM): 550 5.7.1 Sender refused"))
        #expect(try fixture.states().values.allSatisfy { $0 != "failed" })

        let certs = try TestCertificates.shared.get()
        let auth = try SMTPTestServer(starttls: certs, auth: "organiser:right")
        let login = try CLI.run(["send", "campaign.json", "--smtp", "smtp://organiser@localhost:\(auth.port)", "--cacert", certs.caFile, "-q"],
                                in: fixture.folder.url, environment: ["MEGAPHONE_SMTP_PASSWORD": "wrong-horse"])
        #expect(login.status == 78)
        #expect(login.stderr.contains("the server refused the login: 535"))
        #expect(!login.stderr.contains("wrong-horse"))
        #expect(try !String(contentsOfFile: fixture.logPath, encoding: .utf8).contains("wrong-horse"))
    }

    @Test func credentialsFromEnvironmentFileAndNetrc() throws {
        let certs = try TestCertificates.shared.get()
        let server = try SMTPTestServer(starttls: certs, auth: "organiser:s3cret")
        for (index, setup) in ["env", "file", "netrc"].enumerated() {
            let fixture = try SendFixture(rows: 1)
            defer { fixture.folder.remove() }
            var arguments = ["send", "campaign.json", "--smtp", "smtp://localhost:\(server.port)", "--cacert", certs.caFile, "--user", "organiser", "-q"]
            var environment: [String: String] = ["MEGAPHONE_SMTP_PASSWORD": ""]
            switch setup {
            case "env": environment["MEGAPHONE_SMTP_PASSWORD"] = "s3cret"
            case "file":
                try fixture.folder.write("password", "s3cret\n")
                arguments += ["--password-file", "password"]
            default:
                try fixture.folder.write("netrc", "machine localhost login organiser password s3cret\n")
                environment["NETRC"] = fixture.folder.url.appendingPathComponent("netrc").path
            }
            let result = try CLI.run(arguments, in: fixture.folder.url, environment: environment)
            #expect(result.status == 0, "\(setup): \(result.stderr)")
            #expect(try server.messages().count == index + 1)
        }
    }

    @Test func passwordOnTheCommandLineIsRefused() throws {
        let fixture = try SendFixture(rows: 1)
        defer { fixture.folder.remove() }
        let result = try CLI.run(["send", "campaign.json", "--smtp", "smtp://user:secret@127.0.0.1:1"], in: fixture.folder.url)
        #expect(result.status == 78)
        #expect(result.stderr.contains("a password in the --smtp URL would show in process lists"))
    }

    @Test func aCampaignWithErrorsNeverConnects() throws {
        let server = try SMTPTestServer()
        let fixture = try SendFixture(rows: 0, recipients: "name,email,n\nA,a@example.org,\"1\r\nBcc: victim@example.com\"\nB,b@example.org,2\n")
        defer { fixture.folder.remove() }
        let result = try CLI.run(["send", "campaign.json"] + smtp(server), in: fixture.folder.url)
        #expect(result.status == 65)
        #expect(result.stderr.contains("recipients.csv:2: error: this value has a line break or NUL character and would land in the Subject header"))
        #expect(try server.messages().isEmpty)
        let wroteNothing = try !FileManager.default.fileExists(atPath: fixture.logPath) || fixture.records().isEmpty
        #expect(wroteNothing)
    }

    @Test func aChangedCampaignIsNotResumedUnlessAllowed() throws {
        let server = try SMTPTestServer(faults: ["data-451:1000"])
        let fixture = try SendFixture(rows: 2)
        defer { fixture.folder.remove() }
        _ = try CLI.run(["send", "campaign.json", "--retries", "0"] + smtp(server), in: fixture.folder.url)
        try fixture.folder.write("template.txt", "Subject: Letter {{recipient.n}}\n\nDear {{recipient.name}}, changed wording.\n")
        let up = try SMTPTestServer()
        let refused = try CLI.run(["send", "campaign.json"] + smtp(up), in: fixture.folder.url)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("message 1 (p1@example.org): deferred in the log, and its text or recipients differ now"))
        #expect(refused.stderr.contains("run with --allow-changed to resume anyway"))
        #expect(try up.messages().isEmpty)
        let allowed = try CLI.run(["send", "campaign.json", "--allow-changed"] + smtp(up), in: fixture.folder.url)
        #expect(allowed.status == 0)
        #expect(try up.messages().count == 2)
        // What goes out is the campaign as it is now, not the earlier run's spool.
        #expect(try up.messages().allSatisfy { $0.text.contains("changed wording") })
    }

    @Test func redirectSendsEverythingToOneMailboxWithItsOwnLog() throws {
        let server = try SMTPTestServer()
        let fixture = try SendFixture(rows: 3)
        defer { fixture.folder.remove() }
        let result = try CLI.run(["send", "campaign.json", "--redirect-to", "tester@example.com"] + smtp(server), in: fixture.folder.url)
        #expect(result.status == 0)
        #expect(try server.messages().allSatisfy { $0.rcpt_tos == ["tester@example.com"] })
        #expect(FileManager.default.fileExists(atPath: fixture.folder.url.appendingPathComponent("campaign.redirect.sendlog.jsonl").path))
        #expect(!FileManager.default.fileExists(atPath: fixture.logPath))
    }

    @Test func uncertainMessagesAreListedAndNotResent() throws {
        let server = try SMTPTestServer(faults: ["stall-after-data:5"])
        let fixture = try SendFixture(rows: 2)
        defer { fixture.folder.remove() }
        let first = try CLI.run(["send", "campaign.json", "--connections", "1", "--timeout", "1s"] + smtp(server), in: fixture.folder.url)
        #expect(first.status == 75)
        #expect(try fixture.states().values.sorted() == ["sent", "uncertain"])
        let second = try CLI.run(["send", "campaign.json"] + smtp(server), in: fixture.folder.url)
        #expect(second.status == 75)
        #expect(second.stderr.contains("uncertain earlier       1"))
        #expect(try server.messages().count == 2)
        let third = try CLI.run(["send", "campaign.json", "--resend-uncertain"] + smtp(server), in: fixture.folder.url)
        #expect(third.status == 0)
        #expect(try server.messages().count == 3)
    }

    @Test func sigtermStopsCleanly() throws {
        let server = try SMTPTestServer()
        let fixture = try SendFixture(rows: 40)
        defer { fixture.folder.remove() }
        let (process, err) = try startCLI(["send", "campaign.json", "--rate", "10/s"] + smtp(server), in: fixture.folder.url)
        let errors = ReadAll(err.fileHandleForReading)
        while try server.messages().count < 3 { usleep(50_000) }
        process.terminate()
        process.waitUntilExit()
        let stderr = String(decoding: errors.wait(), as: UTF8.self)
        #expect(process.terminationStatus == 143)
        #expect(stderr.contains("  not started"))
        let states = try fixture.states()
        #expect(states.values.allSatisfy { $0 == "sent" })
        #expect(states.count == (try server.messages().count))
    }

    @Test func killDashNineThenResumeSendsEachLetterOnce() throws {
        let server = try SMTPTestServer()
        let fixture = try SendFixture(rows: 500)
        defer { fixture.folder.remove() }
        let (process, _) = try startCLI(["send", "campaign.json", "--connections", "2"] + smtp(server), in: fixture.folder.url)
        while try server.messages().count < 60 { usleep(20_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let before = try server.messages().count
        #expect(before < 500, "the run finished before it could be killed")
        let states = try fixture.states()
        let uncertain = Set(states.filter { $0.value == "attempt" }.map(\.key))
        #expect(uncertain.count <= 2, "at most one message per connection is in flight")

        let resumed = try CLI.run(["send", "campaign.json", "--connections", "2"] + smtp(server), in: fixture.folder.url)
        #expect(resumed.status == (uncertain.isEmpty ? 0 : 75), "\(resumed.stderr)")
        var copies: [String: Int] = [:]
        for message in try server.messages() { copies[message.toAddress ?? "?", default: 0] += 1 }
        for index in 1...500 {
            let key = "p\(index)@example.org"
            if uncertain.contains(key) {
                #expect((copies[key] ?? 0) <= 1, "\(key) was sent twice")
            } else {
                #expect(copies[key] == 1, "\(key) got \(copies[key] ?? 0) copies")
            }
        }
        // The log agrees with the server: every message it calls sent is there once.
        let final = try fixture.states()
        #expect(final.filter { $0.value == "sent" }.allSatisfy { copies[$0.key] == 1 })
        #expect(final.count == 500)
    }

    @Test func logCommandSummaryJSONAndSafeCSV() throws {
        let server = try SMTPTestServer(faults: ["rcpt-550:p2@example.org"])
        let fixture = try SendFixture(rows: 0, recipients: "name,email,n\n=HYPERLINK(\"http://x\"),p1@example.org,1\n@SUM(1),p2@example.org,2\n")
        defer { fixture.folder.remove() }
        _ = try CLI.run(["send", "campaign.json"] + smtp(server), in: fixture.folder.url)
        let summary = try CLI.run(["log", "campaign.json"], in: fixture.folder.url)
        #expect(summary.status == 0)
        #expect(summary.stdout.contains("  sent        2\n"))
        let json = try CLI.run(["log", "campaign.json", "--json", "--state", "sent"], in: fixture.folder.url)
        #expect(json.stdout.split(separator: "\n").count == 2)
        let csv = try CLI.run(["log", "campaign.json", "--csv"], in: fixture.folder.url)
        let lines = csv.stdout.components(separatedBy: "\r\n")
        #expect(lines[0] == "name,email,n,megaphone_state,megaphone_messages,megaphone_reply,megaphone_time,megaphone_bounce")
        #expect(lines[1].hasPrefix("\"'=HYPERLINK(\"\"http://x\"\")\",p1@example.org,1,sent,1,250 2.0.0 Ok: queued as"))
        #expect(lines[2].hasPrefix("'@SUM(1),p2@example.org,2,sent,1,"))
    }
}
