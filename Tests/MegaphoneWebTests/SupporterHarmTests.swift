import Foundation
import Hummingbird
import HummingbirdTesting
import MegaphoneSignatures
import MegaphoneTestSupport
import MegaphoneWeb
import Testing

/// Harms to a supporter found by trying a campaign end to end: what the letter page
/// promised and did not keep, dates, greetings, counts and errors a phone user sees.
extension RouteTests {
    /// The header `name` of a message in the outbox (unfolded).
    func header(_ name: String, in message: String) -> String? {
        let head = message.components(separatedBy: "\r\n\r\n").first ?? message
        let unfolded = head.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: " ")
        for line in unfolded.components(separatedBy: "\r\n") where line.lowercased().hasPrefix(name.lowercased() + ":") {
            return String(line.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// A message's text with quoted-printable undone (soft breaks joined, =XX decoded).
    func quotedPrintableDecoded(_ message: String) -> String {
        let bytes = Array(message.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count,
               let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                out.append(value)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    func confirmLatest(_ client: Client, to address: String, count: Int) async throws -> String {
        let mails = fixture.waitForOutbox(count).filter { $0.contains(address) && $0.contains("/confirm/") }
        let token = try #require(mails.last.flatMap { link("confirm", in: $0) })
        let (_, page, _) = try await get(client, "/confirm/\(token)")
        let (status, _, _) = try await post(client, "/confirm/\(token)", formBody([("csrf", try #require(csrf(in: page)))]))
        #expect(status == .ok)
        return page
    }

    // Item 2: the supporter's address goes to the embassy only when they tick the box.
    @Test func aLetterCarriesTheSupportersAddressOnlyWhenTheyChooseSo() async throws {
        let app = Application(router: web.router())
        web.startMailers()
        defer { web.stopMailers() }
        try await app.test(.router) { client in
            let (_, page, _) = try await get(client, "/letters")
            #expect(page.contains(##"<input type="checkbox" id="f-reply" name="reply_to" value="yes" aria-describedby="h-reply">"##))   // unticked
            // What leaves the site, from the letter template (signer.name, signer.message), in the page's language.
            #expect(page.contains("В вашем письме будут: имя и ваш абзац"))
            #expect(page.contains("Ваш адрес почты они получат, только если вы отметите поле выше"))
            #expect(!page.contains("никогда не показывается на сайте.</p></footer>") || page.contains("адресаты увидят его, только если"))
            let (status, _, _) = try await sign(client, "letters", [("name", "Marta Nowak"), ("email", "marta@example.net"), ("city", "Berlin"),
                                                                    ("target", "berlin@example.org")])
            #expect(status == .seeOther)
            let preview = try await confirmLatest(client, to: "marta@example.net", count: 1)
            // The preview shows From and Reply-To as well as To and Subject.
            #expect(preview.contains("<strong>От:</strong> Marta Nowak via Campaign &lt;campaign@example.org&gt;"))
            #expect(preview.contains("<strong>Ответ:</strong> Campaign &lt;campaign@example.org&gt;"))
            let letter = try #require(fixture.waitForOutbox(2).first { $0.contains("Dear Mr B,") })
            #expect(header("Reply-To", in: letter) == "Campaign <campaign@example.org>")
            #expect(!letter.contains("marta@example.net"))
        }
    }

    // Item 2: a petition page says which fields the delivered petition lists, and to whom.
    @Test func aPetitionPageSaysWhatTheDeliveredPetitionLists() async throws {
        let app = Application(router: web.router())
        try await app.test(.router) { client in
            let (_, page, _) = try await get(client, "/petition")
            #expect(page.contains("Your name, organisation and town or city will be listed on the petition delivered to Ministry and Board."))
            #expect(page.contains("Your email address is used only to confirm your signature and is never shown on this site."))
        }
    }

    // Item 3: a letter sent by the server is dated when it is composed, not when the server started.
    @Test func aLetterIsDatedWhenItIsSentNotWhenTheServerStarted() async throws {
        let started = Date()
        let app = Application(router: web.router())
        web.startMailers()
        defer { web.stopMailers() }
        try await Task.sleep(for: .seconds(3))
        try await app.test(.router) { client in
            _ = try await sign(client, "letters", [("name", "Jonas Weber"), ("email", "jonas@example.com"), ("target", "berlin@example.org")])
            _ = try await confirmLatest(client, to: "jonas@example.com", count: 1)
            let letter = try #require(fixture.waitForOutbox(2).first { $0.contains("Dear Mr B,") })
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
            let date = try #require(header("Date", in: letter).flatMap(formatter.date(from:)))
            #expect(date.timeIntervalSince(started) >= 2.5, "the letter is dated \(date), the server started at \(started)")
            #expect(abs(date.timeIntervalSinceNow) < 60)
        }
    }

    // Item 6: counts in the page's language, errors in the page's language.
    @Test func countsAndErrorsSpeakThePagesLanguage() async throws {
        let app = Application(router: web.router())
        web.startMailers()
        defer { web.stopMailers() }
        try await app.test(.router) { client in
            let (_, petition, _) = try await get(client, "/petition")
            #expect(petition.contains(">0</strong> <span id=\"count-label\""))
            #expect(petition.contains("people have signed</span>"))
            let (bad, russian, _) = try await sign(client, "letters", [("name", "Иван Петров"), ("email", "x@y"), ("target", "berlin@example.org")])
            #expect(bad == .unprocessableContent)
            #expect(russian.contains("После «@» нужен полный домен с точкой"))
            #expect(!russian.contains("the address"))
            #expect(!russian.contains("has a domain"))
            _ = try await sign(client, "letters", [("name", "Иван Петров"), ("email", "ivan@example.ru"), ("target", "berlin@example.org"),
                                                   ("target", "london@example.org")])
            _ = try await confirmLatest(client, to: "ivan@example.ru", count: 1)
            let (_, letters, _) = try await get(client, "/letters")
            #expect(letters.contains("человек написал</span>"))   // 1: one, not "человек подписали"
            #expect(letters.contains("2 письма"))
            _ = try await sign(client, "petition", [("name", "Ana Lopez"), ("email", "ana@example.org")])
            _ = try await confirmLatest(client, to: "ana@example.org", count: 4)
            let (_, one, _) = try await get(client, "/petition")
            #expect(one.contains("person has signed</span>"))       // not "1 people have signed"
            #expect(one.contains(##"data-one="person has signed" data-other="people have signed""##))
        }
    }

    // Item 7: a second signature's email greets the address with the name it signed with;
    // 3 emails per address at most.
    @Test func aRepeatedSignatureNeverGreetsWithTheNewName() async throws {
        let app = Application(router: web.router())
        web.startMailers()
        defer { web.stopMailers() }
        try await app.test(.router) { client in
            _ = try await sign(client, "petition", [("name", "Ana Lopez"), ("email", "ana@example.org")])
            _ = try await sign(client, "petition", [("name", "Mallory Says Hello"), ("email", "ANA@example.org")])
            let pending = fixture.waitForOutbox(2)
            #expect(pending.count == 2)
            #expect(pending.allSatisfy { !$0.contains("Mallory") })
            #expect(pending.allSatisfy { $0.contains("Ana Lopez") })
            for _ in 0..<4 {
                _ = try await sign(client, "petition", [("name", "Mallory Says Hello"), ("email", "ana@example.org")])
            }
            try await Task.sleep(for: .seconds(1))
            let all = fixture.waitForOutbox(3).filter { $0.lowercased().contains("ana@example.org") }
            #expect(all.count == 3, "six tries sent \(all.count) emails")
            #expect(all.allSatisfy { !$0.contains("Mallory") })
        }
    }

    // Item 8: a refused form shows a summary at the top of the form, linked to the fields,
    // brought into view by the action's fragment, with "Error:" in the title.
    @Test func aRefusedFormShowsAnErrorSummaryAtTheTopOfTheForm() async throws {
        let app = Application(router: web.router())
        try await app.test(.router) { client in
            let (_, page, _) = try await get(client, "/petition")
            #expect(page.contains(##"action="/petition/sign#sign""##))
            #expect(page.contains(##"<section class="sign" id="sign">"##))
            #expect(page.contains(##"aria-describedby="h-name""##))
            let token = try #require(csrf(in: page))
            let body = formBody([("csrf", token), ("name", ""), ("email", "ana@example")])
            let (status, refused, _) = try await post(client, "/petition/sign", body)
            #expect(status == .unprocessableContent)
            #expect(refused.contains("<title>Error: Sign the petition</title>"))
            let summary = try #require(refused.range(of: ##"<div class="error-summary" id="errors" role="alert""##))
            let form = try #require(refused.range(of: "<form method=\"post\""))
            #expect(summary.lowerBound < form.lowerBound)
            #expect(refused.contains(##"<li><a href="#f-name">Fill this in.</a></li>"##))
            #expect(refused.contains(##"<li><a href="#f-email">The part after the '@' needs a full domain with a dot, as in example.org.</a></li>"##)
                    || refused.contains(##"<li><a href="#f-email">The part after the &#39;@&#39; needs a full domain"##)
                    || refused.contains(##"<li><a href="#f-email">The part after the &#x27;@&#x27;"##))
            #expect(refused.contains(##"aria-invalid="true" aria-describedby="h-name e-name""##))
            #expect(refused.contains(##"aria-invalid="true" aria-describedby="e-email""##))
            // Reloading the refused page posts again: the same answer, not "this form was already sent".
            let (again, _, _) = try await post(client, "/petition/sign", body)
            #expect(again == .unprocessableContent)
            let (fixed, _, _) = try await post(client, "/petition/sign", formBody([("csrf", token), ("name", "Ana Lopez"), ("email", "ana@example.org")]))
            #expect(fixed == .seeOther)
            let (reused, _, _) = try await post(client, "/petition/sign", formBody([("csrf", token), ("name", "Ana Lopez"), ("email", "ana@example.org")]))
            #expect(reused == .forbidden)
            // The form's address opened as a page leads to the campaign.
            let (redirect, _, headers) = try await get(client, "/petition/sign")
            #expect(redirect == .seeOther)
            #expect(headers[.location] == "/petition")
        }
    }

    // Item 9: a letter page speaks of letters and writers; so does the organiser's page.
    @Test func aLetterPageSpeaksOfLetters() async throws {
        let app = Application(router: web.router())
        web.startMailers()
        defer { web.stopMailers() }
        try await app.test(.router) { client in
            let (_, page, _) = try await get(client, "/letters")
            #expect(page.contains("человек написали</span>"))
            #expect(!page.contains("подписали"))
            _ = try await sign(client, "letters", [("name", "Jonas Weber"), ("email", "jonas@example.com"), ("target", "berlin@example.org")])
            let (_, check, _) = try await get(client, "/letters/check-email")
            #expect(check.contains("прочитайте своё письмо"))
            let mail = try #require(fixture.waitForOutbox(1).first)
            // The confirmation email asks to confirm a letter, not a signature.
            let body = quotedPrintableDecoded(mail)
            #expect(body.contains("Письмо ещё не отправлено"))
            #expect(!body.contains("подписали"))
            let (_, confirm, _) = try await get(client, "/confirm/\(try #require(link("confirm", in: mail)))")
            #expect(confirm.contains("<h1>Подтвердите письмо</h1>"))
            #expect(!confirm.contains("Подтвердите подпись"))
            let (_, admin, _) = try await client.execute(uri: "/admin", method: .get, headers: [.authorization: "Bearer organiser-token-for-tests"]) { response in
                (response.status, String(buffer: response.body), response.headers)
            }
            #expect(admin.contains("Open for letters"))
            #expect(admin.contains("Open for signatures"))
        }
    }
}

/// Item 4: a field the page requires is required by the server too.
@Suite struct RequiredFieldTests {
    @Test func aRequiredFieldIsMarkedAndRefusedWhenEmpty() async throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        try fixture.folder.write("petition.json", """
        {"name": "petition", "sender": {"name": "Campaign", "address": "campaign@example.org"},
         "template": "petition.txt", "recipients": "targets.csv", "signers": {"store": "data/signatures.sqlite"},
         "data": ["data/demands.txt", "data/case.json"], "mode": "joint",
         "page": {"title": "Sign the petition", "fields": ["name", "email", "organisation", "city"], "required": ["city"]}}
        """)
        let web = try fixture.app()
        let app = Application(router: web.router())
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/petition", method: .get) { String(buffer: $0.body) }
            #expect(page.contains(##"name="city" type="text" value="" autocomplete="address-level2" required"##))
            #expect(!page.contains(##"name="organisation" type="text" value="" autocomplete="organization" required"##))
            let token = try #require(csrf(in: page))
            let (status, refused) = try await client.execute(uri: "/petition/sign", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                             body: ByteBuffer(string: formBody([("csrf", token), ("name", "Ana Lopez"), ("email", "ana@example.org"), ("city", " ")]))) {
                ($0.status, String(buffer: $0.body))
            }
            #expect(status == .unprocessableContent)
            #expect(refused.contains(##"<li><a href="#f-city">Fill this in.</a></li>"##))
        }
        // check: the petition's {{city}} is required, so only {{organisation}} is warned of.
        let check = try CLI.run(["check", "petition.json", "--allow-empty"], in: fixture.folder.url)
        #expect(check.stdout.contains("'organisation' is optional on the page"))
        #expect(!check.stdout.contains("'city' is optional on the page"))
    }

    /// Item 1 with a store: `check` says how many signatures are confirmed and waiting.
    @Test func anEmptyStoreSaysHowManyAreConfirmedAndWaiting() throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let store = try SignatureStore(path: fixture.store, create: true)
        _ = try store.signNow(SignRequest(campaign: "petition", fields: ["name": "Ana Lopez", "email": "ana@example.org"],
                                          expires: Date().addingTimeInterval(3600))) { _, _ in nil }
        let check = try CLI.run(["check", "petition.json"], in: fixture.folder.url)
        #expect(check.status == 65)
        #expect(check.stdout.contains("petition.json: error: the campaign 'petition' has no signer (data/signatures.sqlite holds 0 confirmed signatures for 'petition', 1 waiting for confirmation or release)"))
        let send = try CLI.run(["send", "petition.json", "--outbox", fixture.outbox, "--quiet"], in: fixture.folder.url)
        #expect(send.status == 65)
        #expect(fixture.outboxMessages().isEmpty)
    }
}
