import Foundation
import Hummingbird
import HummingbirdTesting
import MegaphoneSignatures
import MegaphoneTestSupport
import MegaphoneWeb
import Testing

/// The router through HummingbirdTesting, with a real store and outbox in a temporary folder.
@Suite struct RouteTests {
    let fixture: WebFixture
    let web: WebApp

    init() throws {
        fixture = try WebFixture()
        web = try fixture.app()
    }

    typealias Client = any TestClientProtocol

    func get(_ client: Client, _ uri: String) async throws -> (HTTPResponse.Status, String, HTTPFields) {
        try await client.execute(uri: uri, method: .get) { response in (response.status, String(buffer: response.body), response.headers) }
    }

    func post(_ client: Client, _ uri: String, _ body: String, type: String = "application/x-www-form-urlencoded") async throws -> (HTTPResponse.Status, String, HTTPFields) {
        try await client.execute(uri: uri, method: .post, headers: [.contentType: type], body: ByteBuffer(string: body)) { response in
            (response.status, String(buffer: response.body), response.headers)
        }
    }

    func sign(_ client: Client, _ campaign: String, _ fields: [(String, String)]) async throws -> (HTTPResponse.Status, String, HTTPFields) {
        let (_, page, _) = try await get(client, "/\(campaign)")
        let token = try #require(csrf(in: page))
        return try await post(client, "/\(campaign)/sign", formBody([("csrf", token)] + fields))
    }

    func store() throws -> SignatureStore { try SignatureStore(path: fixture.store, create: false) }

    @Test func petitionPageHasEverythingAndSecurityHeaders() async throws {
        let app = Application(router: web.router())
        try await app.test(.router) { client in
            let (status, html, headers) = try await get(client, "/petition")
            #expect(status == .ok)
            #expect(html.contains("<html lang=\"en\">"))
            #expect(html.contains("<p>Free A. Example & the strikers.</p>"))   // the organiser's own HTML
            #expect(html.contains("<li>Release the lawyer.</li>"))
            #expect(html.contains("<label for=\"f-organisation\">"))
            #expect(html.contains("<progress max=\"100\" value=\"0\">"))
            #expect(headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(headers[.init("X-Frame-Options")!] == "DENY")
            #expect(headers[.init("Referrer-Policy")!] == "no-referrer")
            let (_, json, _) = try await get(client, "/petition/count.json")
            #expect(json == "{\"confirmed\": 0, \"goal\": 100}\n")
            let (missing, _, _) = try await get(client, "/nothing-here")
            #expect(missing == .notFound)
            let (health, ok, _) = try await get(client, "/healthz")
            #expect(health == .ok && ok == "ok\n")
        }
    }

    @Test func signConfirmAndCountThroughTheRouter() async throws {
        let app = Application(router: web.router())
        web.startMailers()
        defer { web.stopMailers() }
        try await app.test(.router) { client in
            let (status, _, headers) = try await sign(client, "petition", [("name", "Ana Lopez"), ("email", "Ana@Example.org"), ("organisation", "Union"), ("city", "Leeds")])
            #expect(status == .seeOther)
            #expect(headers[.location] == "/petition/check-email")
            #expect(try store().counts(campaign: "petition")[.pending] == 1)
            let mails = fixture.waitForOutbox(1)
            #expect(mails.count == 1)
            let mail = try #require(mails.first)
            #expect(mail.contains("To: Ana Lopez <Ana@example.org>"))
            let token = try #require(link("confirm", in: mail))
            // GET only shows a button: a link-following scanner confirms nothing.
            let (shown, page, _) = try await get(client, "/confirm/\(token)")
            #expect(shown == .ok)
            #expect(try store().confirmedCount(campaign: "petition") == 0)
            let (confirmed, thanks, _) = try await post(client, "/confirm/\(token)", formBody([("csrf", try #require(csrf(in: page)))]))
            #expect(confirmed == .ok)
            #expect(thanks.contains("Thank you"))
            #expect(try store().confirmedCount(campaign: "petition") == 1)
            // A second click on the link shows the same thank-you page, and counts nothing.
            let (_, again, _) = try await get(client, "/confirm/\(token)")
            #expect(again.contains("Thank you"))
            // Signing again with the same address (case-folded) looks the same and counts nothing.
            let (second, _, _) = try await sign(client, "petition", [("name", "Ana Lopez"), ("email", "ana@example.ORG")])
            #expect(second == .seeOther)
            #expect(try store().confirmedCount(campaign: "petition") == 1)
            let notices = fixture.waitForOutbox(2)
            #expect(notices.contains { $0.contains("You have already signed") })
            let (_, json, _) = try await get(client, "/petition/count.json")
            #expect(json == "{\"confirmed\": 1, \"goal\": 100}\n")
            // The public page never shows a signer's address.
            let (_, publicPage, _) = try await get(client, "/petition")
            #expect(!publicPage.lowercased().contains("ana@example.org"))
        }
    }

    @Test(arguments: ["\r\n", "\n", "\0", "\u{1B}", "\u{7F}", "\u{85}"])
    func controlCharactersAreRefusedByField(control: String) async throws {
        let app = Application(router: web.router())
        try await app.test(.router) { client in
            let (status, html, _) = try await sign(client, "petition", [("name", "Ana\(control)Lopez"), ("email", "ana@example.org"), ("city", "Le\(control)eds")])
            #expect(status == .unprocessableContent)
            #expect(html.contains("id=\"e-name\""))
            #expect(html.contains("id=\"e-city\""))
            #expect(html.contains("value=\"ana@example.org\""))   // what was typed is kept
            #expect(try store().signatures(campaign: "petition", state: nil).isEmpty)
        }
    }

    @Test func markupIsEscapedEverywhere() async throws {
        let app = Application(router: web.router())
        try await app.test(.router) { client in
            let (status, html, _) = try await sign(client, "petition", [("name", "<script>alert(1)</script>"), ("email", "x@example.org"),
                                                                       ("organisation", "\"><img src=x onerror=alert(1)>")])
            #expect(status == .unprocessableContent)
            #expect(!html.contains("<script>alert"))
            #expect(!html.contains("<img src=x"))
            #expect(html.contains("&lt;script&gt;") || html.contains("&lt;script"))
            let (ok, _, _) = try await sign(client, "petition", [("name", "Mary O'Brien"), ("email", "mary@example.org"),
                                                                 ("organisation", "\"><img src=x onerror=alert(1)>")])
            #expect(ok == .seeOther)
            let (_, admin, _) = try await client.execute(uri: "/admin", method: .get, headers: [.authorization: "Bearer organiser-token-for-tests"]) { response in
                (response.status, String(buffer: response.body), response.headers)
            }
            #expect(admin.contains("Mary O&#39;Brien"))
            #expect(!admin.contains("<img src=x"))
        }
    }

    @Test func formsWithoutAValidFreshTokenAreRefused() async throws {
        let app = Application(router: web.router())
        try await app.test(.router) { client in
            let fields = [("name", "Ana Lopez"), ("email", "ana@example.org")]
            let (missing, text, _) = try await post(client, "/petition/sign", formBody(fields))
            #expect(missing == .forbidden)
            #expect(text.contains("security token"))
            let (forged, _, _) = try await post(client, "/petition/sign", formBody([("csrf", "abc.123.def")] + fields))
            #expect(forged == .forbidden)
            let (_, page, _) = try await get(client, "/petition")
            let token = try #require(csrf(in: page))
            let (first, _, _) = try await post(client, "/petition/sign", formBody([("csrf", token)] + fields))
            #expect(first == .seeOther)
            let (reused, again, _) = try await post(client, "/petition/sign", formBody([("csrf", token), ("name", "Bo Bo"), ("email", "bo@example.org")]))
            #expect(reused == .forbidden)
            #expect(again.contains("already sent"))
            // A token for one campaign's form does not work for another's.
            let (_, other, _) = try await get(client, "/letters")
            let (crossed, _, _) = try await post(client, "/petition/sign", formBody([("csrf", try #require(csrf(in: other)))] + fields))
            #expect(crossed == .forbidden)
            #expect(try store().signatures(campaign: "petition", state: nil).count == 1)
        }
    }

    @Test func wrongBodiesAreRefusedAndNothingIsStored() async throws {
        let app = Application(router: web.router())
        try await app.test(.router) { client in
            let (_, page, _) = try await get(client, "/petition")
            let token = try #require(csrf(in: page))
            let (json, _, _) = try await post(client, "/petition/sign", "{\"name\": \"x\"}", type: "application/json")
            #expect(json == .unsupportedMediaType)
            let big = formBody([("csrf", token), ("name", String(repeating: "a", count: 1_000_000)), ("email", "big@example.org")])
            let (large, _, _) = try await post(client, "/petition/sign", big)
            #expect(large == .contentTooLarge)
            let (badUTF8, _, _) = try await post(client, "/petition/sign", "csrf=\(token)&name=%C3%28&email=a%40example.org")
            #expect(badUTF8 == .badRequest)
            #expect(try store().signatures(campaign: "petition", state: nil).isEmpty)
        }
    }

    @Test func aHoneypotStoresNothingButLooksTheSame() async throws {
        let app = Application(router: web.router())
        try await app.test(.router) { client in
            let (status, _, headers) = try await sign(client, "petition", [("name", "Bot Bot"), ("email", "bot@example.org"), ("website", "http://spam.example.com")])
            #expect(status == .seeOther)
            #expect(headers[.location] == "/petition/check-email")
            #expect(try store().signatures(campaign: "petition", state: nil).isEmpty)
        }
    }

    @Test func overThePerIPLimitSignaturesAreQuarantinedSilently() async throws {
        let other = try WebFixture()
        let limitedStore = other.store
        let limited = try other.app(perIP: "2/min")
        let app = Application(router: limited.router())
        try await app.test(.router) { client in
            for index in 0..<4 {
                let (status, _, _) = try await sign(client, "petition", [("name", "Person \(["A", "B", "C", "D"][index])"), ("email", "p\(index)@example.org")])
                #expect(status == .seeOther)
            }
            let counts = try SignatureStore(path: limitedStore, create: false).counts(campaign: "petition")
            #expect(counts[.pending] == 2)
            #expect(counts[.quarantined] == 2)
        }
    }

    @Test func letterPageSendsTheChosenLettersOnceAfterConfirming() async throws {
        let app = Application(router: web.router())
        web.startMailers()
        defer { web.stopMailers() }
        try await app.test(.router) { client in
            let (_, page, _) = try await get(client, "/letters")
            #expect(page.contains("<html lang=\"ru\">"))
            #expect(page.contains("value=\"berlin@example.org\""))
            #expect(page.contains("<h3>Berlin</h3>"))
            let (none, noTarget, _) = try await sign(client, "letters", [("name", "Jonas Weber"), ("email", "jonas@example.com"), ("city", "Berlin")])
            #expect(none == .unprocessableContent)
            #expect(noTarget.contains("id=\"target-error\""))
            // Jonas ticks "the recipients may reply to me directly" (unticked by default).
            let (status, _, _) = try await sign(client, "letters", [("name", "Jonas Weber"), ("email", "jonas@example.com"), ("city", "Berlin"),
                                                                    ("target", "berlin@example.org"), ("message", "I was there.\r\nFree them."),
                                                                    ("reply_to", "yes")])
            #expect(status == .seeOther)
            let mail = try #require(fixture.waitForOutbox(1).first)
            let token = try #require(link("confirm", in: mail))
            let (_, confirmPage, _) = try await get(client, "/confirm/\(token)")
            #expect(confirmPage.contains("Dear Mr B,"))       // the exact letter, before confirming
            #expect(confirmPage.contains("I was there.\nFree them."))
            #expect(!confirmPage.contains("Dear Ms A,"))
            let (confirmed, _, _) = try await post(client, "/confirm/\(token)", formBody([("csrf", try #require(csrf(in: confirmPage)))]))
            #expect(confirmed == .ok)
            let all = fixture.waitForOutbox(2)
            let letters = all.filter { $0.contains("Dear Mr B,") }
            #expect(letters.count == 1)
            let letter = try #require(letters.first)
            #expect(letter.contains("From: =?utf-8?") || letter.contains("From: Jonas Weber via Campaign <campaign@example.org>"))
            #expect(letter.contains("Reply-To: Jonas Weber <jonas@example.com>"))
            #expect(letter.contains("X-Envelope-To: berlin@example.org"))
            // Confirming again sends nothing more.
            let (_, again, _) = try await get(client, "/confirm/\(token)")
            #expect(again.contains("Спасибо"))
            try await Task.sleep(for: .milliseconds(500))
            #expect(fixture.outboxMessages().filter { $0.contains("Dear Mr B,") }.count == 1)
        }
    }

    @Test func aLetterToASuppressedEmbassyIsLoggedNotSent() async throws {
        // A hard bounce (or an entry by hand) after the server started: read when the letters go.
        try fixture.folder.write("letters.suppressed.txt", "berlin@example.org  # bounced 5.1.1 2026-12-02: no such user\n")
        let app = Application(router: web.router())
        web.startMailers()
        defer { web.stopMailers() }
        try await app.test(.router) { client in
            let (status, _, _) = try await sign(client, "letters", [("name", "Jonas Weber"), ("email", "jonas@example.com"), ("city", "Berlin"),
                                                                    ("target", "berlin@example.org"), ("target", "london@example.org")])
            #expect(status == .seeOther)
            let mail = try #require(fixture.waitForOutbox(1).first)
            let token = try #require(link("confirm", in: mail))
            let (_, confirmPage, _) = try await get(client, "/confirm/\(token)")
            let (confirmed, _, _) = try await post(client, "/confirm/\(token)", formBody([("csrf", try #require(csrf(in: confirmPage)))]))
            #expect(confirmed == .ok)
            let all = fixture.waitForOutbox(2)
            #expect(all.filter { $0.contains("Dear Ms A,") }.count == 1)
            try await Task.sleep(for: .milliseconds(500))
            #expect(fixture.outboxMessages().filter { $0.contains("Dear Mr B,") }.isEmpty)
            let log = try String(contentsOfFile: fixture.path("letters.sendlog.jsonl"), encoding: .utf8)
            #expect(log.contains("\"state\":\"suppressed\",\"key\":\"berlin@example.org jonas@example.com\""), "\(log)")
        }
    }

    @Test func concurrentSigningAndConfirmingCountOnce() async throws {
        let app = Application(router: web.router())
        web.startMailers()
        defer { web.stopMailers() }
        try await app.test(.router) { client in
            var tokens: [String] = []
            for _ in 0..<20 { tokens.append(try #require(csrf(in: try await get(client, "/petition").1))) }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for (index, token) in tokens.enumerated() {
                    group.addTask {
                        try await post(client, "/petition/sign", formBody([("csrf", token), ("name", "Same Person"),
                                                                           ("email", index % 2 == 0 ? "same@example.org" : "SAME@Example.org")])).0
                    }
                }
                var all: [HTTPResponse.Status] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(statuses.allSatisfy { $0 == .seeOther })
            #expect(try store().signatures(campaign: "petition", state: nil).count == 1)
            let mail = try #require(fixture.waitForOutbox(4).first { $0.contains("/confirm/") })
            let token = try #require(link("confirm", in: mail))
            var forms: [String] = []
            for _ in 0..<200 { forms.append(try #require(csrf(in: try await get(client, "/confirm/\(token)").1))) }
            let answers = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for form in forms {
                    group.addTask { try await post(client, "/confirm/\(token)", formBody([("csrf", form)])).0 }
                }
                var all: [HTTPResponse.Status] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(answers.allSatisfy { $0 == .ok })
            #expect(try store().confirmedCount(campaign: "petition") == 1)
        }
    }

    @Test func aCampaignsOwnConfirmationEmailIsUsed() async throws {
        let fixture = try WebFixture()   // its own: this suite's app holds the shared fixture's logs
        defer { fixture.folder.remove() }
        try fixture.folder.write("page/confirm.txt", "Subject: Please confirm for {{title}}\n\nDear {{name}},\nconfirm here: {{confirm_url}}\n")
        let json = try String(contentsOfFile: fixture.path("petition.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"goal\": 100}", with: "\"goal\": 100, \"confirmation\": \"page/confirm.txt\"}")
        try fixture.folder.write("petition.json", json)
        let own = try fixture.app()
        let app = Application(router: own.router())
        own.startMailers()
        defer { own.stopMailers() }
        try await app.test(.router) { client in
            let (status, _, _) = try await sign(client, "petition", [("name", "Ana Lopez"), ("email", "ana@example.org")])
            #expect(status == .seeOther)
            let mail = try #require(fixture.waitForOutbox(1).first)
            #expect(mail.contains("Subject: Please confirm for Sign the petition"))
            #expect(mail.contains("Dear Ana Lopez,"))
            #expect(link("confirm", in: mail) != nil)
        }
    }

    @Test func anExpiredLinkSaysSoAndConfirmsNothing() async throws {
        let app = Application(router: web.router())
        let token = Token.generate()
        _ = try SignatureStore(path: fixture.store).signNow(SignRequest(campaign: "petition", fields: ["name": "Late Comer", "email": "late@example.org"],
                                                                        confirmToken: token, expires: Date().addingTimeInterval(-1))) { _, _ in nil }
        try await app.test(.router) { client in
            let (status, page, _) = try await get(client, "/confirm/\(token)")
            #expect(status == .gone)
            #expect(page.contains("This link has expired"))
            #expect(try store().confirmedCount(campaign: "petition") == 0)
        }
    }

    @Test func withdrawingTakesTheSignatureOff() async throws {
        let app = Application(router: web.router())
        web.startMailers()
        defer { web.stopMailers() }
        try await app.test(.router) { client in
            _ = try await sign(client, "petition", [("name", "Wil Dra"), ("email", "wil@example.org")])
            let mail = try #require(fixture.waitForOutbox(1).first)
            let confirmToken = try #require(link("confirm", in: mail))
            let (_, confirmPage, _) = try await get(client, "/confirm/\(confirmToken)")
            _ = try await post(client, "/confirm/\(confirmToken)", formBody([("csrf", try #require(csrf(in: confirmPage)))]))
            #expect(try store().confirmedCount(campaign: "petition") == 1)
            let token = try #require(link("withdraw", in: mail))
            let (_, page, _) = try await get(client, "/withdraw/\(token)")
            let (status, done, _) = try await post(client, "/withdraw/\(token)", formBody([("csrf", try #require(csrf(in: page)))]))
            #expect(status == .ok)
            #expect(done.contains("withdrawn"))
            #expect(try store().confirmedCount(campaign: "petition") == 0)
            #expect(try store().signatures(campaign: "petition", state: .withdrawn).first?.fields.isEmpty == true)
        }
    }

    @Test func adminNeedsTheTokenAndExportsNeutralisedCSV() async throws {
        let app = Application(router: web.router())
        try await app.test(.router) { client in
            let (anonymous, login, _) = try await get(client, "/admin")
            #expect(anonymous == .unauthorized)
            let (wrong, _, _) = try await post(client, "/admin/login", formBody([("csrf", try #require(csrf(in: login))), ("token", "not-the-token")]))
            #expect(wrong == .unauthorized)
            let (_, login2, _) = try await get(client, "/admin")
            let (ok, _, headers) = try await post(client, "/admin/login", formBody([("csrf", try #require(csrf(in: login2))), ("token", "organiser-token-for-tests")]))
            #expect(ok == .seeOther)
            let cookie = try #require(headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains("organiser-token-for-tests"))
            let session = String(cookie.split(separator: ";")[0])
            let (signedIn, adminPage, _) = try await client.execute(uri: "/admin", method: .get, headers: [.cookie: session]) { response in
                (response.status, String(buffer: response.body), response.headers)
            }
            #expect(signedIn == .ok)
            #expect(adminPage.contains("/admin/petition/export.csv"))
            let store = try store()
            let token = Token.generate()
            _ = try store.signNow(SignRequest(campaign: "petition", fields: ["name": "=HYPERLINK(\"x\")", "email": "f@example.org"], confirmToken: token,
                                              expires: Date().addingTimeInterval(60))) { _, _ in nil }
            _ = try await store.confirm(token)
            let (csvStatus, csv, _) = try await client.execute(uri: "/admin/petition/export.csv", method: .get, headers: [.cookie: session]) { response in
                (response.status, String(buffer: response.body), response.headers)
            }
            #expect(csvStatus == .ok)
            #expect(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""))
            let (noAuth, _, _) = try await get(client, "/admin/petition/export.csv")
            #expect(noAuth == .unauthorized)
            // Close: signing is refused with a clear page and nothing is stored.
            let (_, openPage, _) = try await get(client, "/petition")
            let lateToken = try #require(csrf(in: openPage))
            let (_, adminAgain, _) = try await client.execute(uri: "/admin", method: .get, headers: [.cookie: session]) { response in
                (response.status, String(buffer: response.body), response.headers)
            }
            let (closed, _, _) = try await client.execute(uri: "/admin/petition/close", method: .post,
                                                          headers: [.cookie: session, .contentType: "application/x-www-form-urlencoded"],
                                                          body: ByteBuffer(string: formBody([("csrf", try #require(csrf(in: adminAgain)))]))) { response in
                (response.status, String(buffer: response.body), response.headers)
            }
            #expect(closed == .seeOther)
            let (refused, text, _) = try await post(client, "/petition/sign", formBody([("csrf", lateToken), ("name", "Late Signer"), ("email", "late@example.org")]))
            let (_, closedPage, _) = try await get(client, "/petition")
            #expect(closedPage.contains("This campaign has closed"))
            #expect(!closedPage.contains("<form method=\"post\" action=\"/petition/sign\""))
            #expect(refused == .forbidden)
            #expect(text.contains("closed"))
            #expect(try store.signatures(campaign: "petition", state: nil).count == 1)
        }
    }
}
