import Foundation
import MegaphoneSignatures
import MegaphoneTestSupport
import Testing

/// The built `megaphone serve` over real HTTP on loopback: a browser, a crash, a lock.
@Suite(.serialized) struct ServeEndToEndTests {
    @Test func aSupporterSignsAndWritesInARealBrowser() throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let server = try ServeProcess(["petition.json", "letters.json"], in: fixture.folder.url)
        defer { _ = server.terminate() }
        let shots = fixture.folder.url.appendingPathComponent("screenshots").path
        let (status, output) = try python("browser_test.py", [server.base, fixture.outbox, shots])
        #expect(status == 0, "\(output)\n--- server log ---\n\(server.log)")
        #expect(output.contains("OK"))
        #expect(output.components(separatedBy: "not blank").count - 1 == 7)
    }

    @Test func killedMidSigningLosesNoAcknowledgedSignatureAndMailsEachOnce() throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let acked = fixture.folder.url.appendingPathComponent("acked.txt").path
        _ = FileManager.default.createFile(atPath: acked, contents: nil)
        let server = try ServeProcess(["petition.json"], in: fixture.folder.url)
        let load = Process()
        load.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        load.arguments = [CLI.packageRoot.appendingPathComponent("Tests/Fixtures/serve_load.py").path, server.base, "petition", "500", "8", acked]
        load.standardOutput = FileHandle.nullDevice
        load.standardError = FileHandle.nullDevice
        try load.run()
        // Kill the server once a good part of the signatures are in, mid-flight.
        let until = Date().addingTimeInterval(60)
        while Date() < until, ((try? String(contentsOfFile: acked, encoding: .utf8)) ?? "").split(separator: "\n").count < 150 {
            Thread.sleep(forTimeInterval: 0.02)
        }
        server.kill9()
        load.waitUntilExit()
        let acknowledged = Set(((try? String(contentsOfFile: acked, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init))
        #expect(acknowledged.count >= 150)
        #expect(acknowledged.count < 500, "the server was killed after the load ended; the test did not test a crash")

        // Restart: the queued confirmation emails go out.
        let again = try ServeProcess(["petition.json"], in: fixture.folder.url)
        let store = try SignatureStore(path: fixture.store, create: false)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, (try? store.unsentMailCount()) != 0 { Thread.sleep(forTimeInterval: 0.1) }
        #expect(again.terminate() == 0)
        #expect(again.log.contains("Stopped."))
        let stored = Set(try store.signatures(campaign: "petition", state: nil).map(\.email))
        #expect(acknowledged.isSubset(of: stored), "acknowledged but not stored: \(acknowledged.subtracting(stored).sorted().prefix(5))")
        var confirmations: [String: Int] = [:]
        for message in fixture.outboxMessages() {
            if let line = message.split(separator: "\r\n").first(where: { $0.hasPrefix("X-Envelope-To: ") }) {
                confirmations[String(line.dropFirst("X-Envelope-To: ".count)), default: 0] += 1
            }
        }
        for address in stored {
            #expect(confirmations[address] == 1, "\(address) has \(confirmations[address] ?? 0) confirmation emails")
        }
        #expect(confirmations.count == stored.count)
    }

    @Test func aSecondSenderIsRefusedWhileServeHoldsTheLog() throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let server = try ServeProcess(["letters.json"], in: fixture.folder.url)
        defer { _ = server.terminate() }
        let result = try CLI.run(["send", "letters.json", "--outbox", fixture.outbox], in: fixture.folder.url)
        #expect(result.status == 73 || result.status == 75, "\(result.stderr)")
        #expect(result.stderr.contains("the send log is in use by process \(server.process.processIdentifier)"), "serve: running \(server.process.isRunning), log: \(server.log)")
        let taken = try CLI.run(["serve", "petition.json", "--listen", "127.0.0.1:\(server.port)", "--outbox", fixture.outbox], in: fixture.folder.url)
        #expect(taken.status == 69)
        #expect(taken.stderr.contains("cannot listen on 127.0.0.1:\(server.port): the address is already in use"))
    }

    @Test func aPetitionCanBeDeliveredWhileItsPageIsServed() async throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let server = try ServeProcess(["petition.json"], in: fixture.folder.url)
        defer { _ = server.terminate() }
        let store = try SignatureStore(path: fixture.store, create: false)
        let token = Token.generate()
        _ = try store.signNow(SignRequest(campaign: "petition", fields: ["name": "Ana Lopez", "email": "ana@example.org", "organisation": "U", "city": "Leeds"],
                                          confirmToken: token, expires: Date().addingTimeInterval(60))) { _, _ in nil }
        _ = try await store.confirm(token)
        let result = try CLI.run(["send", "petition.json", "--outbox", fixture.path("delivered"), "--quiet"], in: fixture.folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        let delivered = try FileManager.default.contentsOfDirectory(atPath: fixture.path("delivered/new"))
        #expect(delivered.count == 2)
        let text = try String(contentsOfFile: fixture.path("delivered/new/\(delivered[0])"), encoding: .utf8)
        #expect(text.contains("1. ANA LOPEZ, U, Leeds"))
    }

    @Test func startUpProblemsNameTheFileAndExit() throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        try fixture.folder.write("nopage.json", """
        {"name": "nopage", "sender": {"name": "C", "address": "c@example.org"}, "template": "petition.txt",
         "recipients": "targets.csv", "signers": {"store": "data/signatures.sqlite"}, "mode": "joint"}
        """)
        let noPage = try CLI.run(["serve", "nopage.json", "--listen", "127.0.0.1:0"], in: fixture.folder.url)
        #expect(noPage.status == 65)
        #expect(noPage.stderr.contains("nopage.json: error: the campaign has no \"page\""))
        try fixture.folder.write("nostore.json", """
        {"name": "nostore", "sender": {"name": "C", "address": "c@example.org"}, "template": "petition.txt",
         "recipients": "targets.csv", "signers": {"store": "missing-folder/s.sqlite"}, "mode": "joint", "page": {"title": "T"}}
        """)
        let noStore = try CLI.run(["serve", "nostore.json", "--listen", "127.0.0.1:0"], in: fixture.folder.url)
        #expect(noStore.status == 66, "\(noStore.stderr)")
        #expect(noStore.stderr.contains("missing-folder/s.sqlite"))
        try fixture.folder.write("pagenostore.json", """
        {"name": "x", "sender": {"name": "C", "address": "c@example.org"}, "template": "petition.txt",
         "recipients": "targets.csv", "signers": "s.csv", "mode": "joint", "page": {"title": "T"}}
        """)
        try fixture.folder.write("s.csv", "name,email\nA B,a@example.org\n")
        let pageNoStore = try CLI.run(["check", "pagenostore.json"], in: fixture.folder.url)
        #expect(pageNoStore.status == 65)
        #expect(pageNoStore.stdout.contains("pagenostore.json:2: error: the campaign has a \"page\" but no signature store"))
        try fixture.folder.write("page/bad-confirm.txt", "Subject: Confirm\n\nDear {{#name}},\n")
        try fixture.folder.write("badconfirm.json", """
        {"name": "badconfirm", "sender": {"name": "C", "address": "c@example.org"}, "template": "petition.txt",
         "recipients": "targets.csv", "signers": {"store": "data/signatures.sqlite"}, "mode": "joint",
         "page": {"title": "T", "confirmation": "page/bad-confirm.txt"}}
        """)
        let badConfirm = try CLI.run(["check", "badconfirm.json"], in: fixture.folder.url)
        #expect(badConfirm.status == 65)
        #expect(badConfirm.stdout.contains("page/bad-confirm.txt:3:6: error: section 'name' is never closed"), "\(badConfirm.stdout)")
        let token = try CLI.run(["serve", "petition.json", "--listen", "127.0.0.1:0"], in: fixture.folder.url, environment: ["MEGAPHONE_ADMIN_TOKEN": "short"])
        #expect(token.status == 78)
        try fixture.folder.write("a-file", "not a folder\n")
        let outbox = try CLI.run(["serve", "petition.json", "--listen", "127.0.0.1:0", "--outbox", "a-file/outbox"], in: fixture.folder.url)
        #expect(outbox.status == 73, "\(outbox.stderr)")
        #expect(outbox.stderr.contains("a-file/outbox: error: the outbox Maildir cannot be created"))
    }

    @Test(arguments: [("u", "'u' is an address the server keeps for its own pages (/u/…)", "as in \"u-campaign\""),
                      ("Karatobe Petition", "must be a lower-case slug", "write \"karatobe-petition\"")])
    func aCampaignNameThatIsNoServableAddressStopsStartUpAtItsPosition(name: String, problem: String, fix: String) throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        try fixture.folder.write("named.json", """
        {"name": "\(name)", "sender": {"name": "C", "address": "c@example.org"}, "template": "petition.txt",
         "recipients": "targets.csv", "signers": {"store": "data/signatures.sqlite"}, "mode": "joint", "page": {"title": "T"}}
        """)
        // A port already taken: a server that wrongly took the name exits (69) instead of serving on.
        let held = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(held) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(held, $0, length) } }
        let listening = listen(held, 1)
        #expect(bound == 0 && listening == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(held, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let result = try CLI.run(["serve", "named.json", "--listen", "127.0.0.1:\(port)"], in: fixture.folder.url)
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("named.json:1:10: error: \"name\" "), "\(result.stderr)")
        #expect(result.stderr.contains(problem))
        #expect(result.stderr.contains(fix))
        #expect(result.stderr.contains("\n         ^\n"))
    }

    @Test func signaturesCommandListsExportsAndReleases() async throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let store = try SignatureStore(path: fixture.store)
        let token = Token.generate()
        _ = try store.signNow(SignRequest(campaign: "petition", fields: ["name": "Ana Lopez", "email": "ana@example.org", "city": "=cmd|' /C calc'!A0"],
                                          confirmToken: token, expires: Date().addingTimeInterval(60))) { _, _ in nil }
        _ = try await store.confirm(token)
        _ = try store.signNow(SignRequest(campaign: "petition", fields: ["name": "Quar Antine", "email": "q@example.org"], quarantine: true,
                                          expires: Date().addingTimeInterval(60))) { _, _ in nil }
        let list = try CLI.run(["signatures", "petition.json"], in: fixture.folder.url)
        #expect(list.status == 0)
        #expect(list.stdout.hasPrefix("petition: 0 pending, 1 confirmed, 1 quarantined, 0 withdrawn\n"))
        #expect(!list.stdout.contains("ana@example.org"))
        let csv = try CLI.run(["signatures", "petition.json", "--csv"], in: fixture.folder.url)
        #expect(csv.stdout.hasPrefix("number,name,email,organisation,city,state,signed,confirmed\r\n1,Ana Lopez,ana@example.org,,'=cmd|' /C calc'!A0,confirmed,"))
        let release = try CLI.run(["signatures", "petition.json", "--release-quarantined"], in: fixture.folder.url)
        #expect(release.stdout.hasPrefix("Released 1 quarantined signature"))
        let open = try CLI.run(["signatures", "petition.json", "--anonymise"], in: fixture.folder.url)
        #expect(open.status == 65)
        #expect(open.stderr.contains("still open"))
        let bad = try CLI.run(["signatures", "petition.json", "--state", "nope"], in: fixture.folder.url)
        #expect(bad.status == 64)
        // check and render read the store's confirmed signatures like CSV rows.
        let render = try CLI.run(["render", "petition.json", "--out", "out"], in: fixture.folder.url)
        #expect(render.status == 0, "\(render.stdout)\(render.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: fixture.path("out"))
        #expect(files.count == 2)
        let text = try String(contentsOfFile: fixture.path("out/\(files.sorted()[0])"), encoding: .utf8)
        #expect(text.contains("1. ANA LOPEZ, , =cmd|' /C calc'!A0"))
    }
}

/// Signer mail through a real SMTP server (aiosmtpd on loopback), with a temporary
/// failure on the first DATA: retried, and each supporter gets exactly one email.
@Suite struct ServeSMTPTests {
    @Test func confirmationEmailsGoThroughSMTPWithRetries() throws {
        let smtp = try SMTPTestServer(faults: ["data-451:1"])
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let server = try ServeProcess(["petition.json"], in: fixture.folder.url,
                                      extra: ["--smtp", smtp.url, "--starttls", "never", "--retries", "3", "--max-wait", "50ms"])
        defer { _ = server.terminate() }
        let acked = fixture.folder.url.appendingPathComponent("acked.txt").path
        _ = FileManager.default.createFile(atPath: acked, contents: nil)
        let (status, output) = try python("serve_load.py", [server.base, "petition", "3", "1", acked])
        #expect(status == 0, "\(output)")
        var messages: [SMTPTestServer.Stored] = []
        let until = Date().addingTimeInterval(30)
        while Date() < until {
            messages = try smtp.messages()
            if messages.count >= 3 { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let recipients = messages.flatMap(\.rcpt_tos).sorted()
        #expect(recipients == ["load0@example.org", "load1@example.org", "load2@example.org"], "\(server.log)")
        #expect(messages.allSatisfy { $0.text.contains("/confirm/") && $0.mail_from == "campaign@example.org" })
        let log = try String(contentsOfFile: fixture.path("petition.signer-mail.sendlog.jsonl"), encoding: .utf8)
        #expect(log.contains("\"state\":\"deferred\""))   // the 451, written before the retry
        #expect(log.components(separatedBy: "\"state\":\"sent\"").count - 1 == 3)
    }
}
