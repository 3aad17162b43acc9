import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MegaphoneTestSupport
import Testing

/// One-click unsubscribe end to end: the headers as Python's `email` reads them, a real
/// RFC 8058 POST to the running `megaphone serve`, and a later `send` skipping the address.
@Suite(.serialized) struct UnsubscribeTests {
    struct Fixture {
        let folder: TemporaryFolder
        var outbox: String { folder.url.appendingPathComponent("outbox/new").path }

        init() throws {
            folder = try TemporaryFolder()
            try folder.write("news.json", """
            {"name": "news", "sender": {"name": "Campaign", "address": "campaign@example.org"},
             "template": "news.txt", "html": "news.html", "recipients": "supporters.csv", "mode": "each-recipient",
             "unsubscribe": {"mailto": "leave@example.org"}, "base_url": "https://act.example.org"}
            """)
            try folder.write("news.txt", "Subject: News from the strike\n\nDear {{recipient.name}},\nthe strike goes on.\n\nTo stop receiving these emails: {{unsubscribe_url}}\n")
            try folder.write("news.html", "<p>Dear {{recipient.name}},<br>the strike goes on.</p>\n<p>To stop receiving these emails: <a href=\"{{unsubscribe_url}}\">{{unsubscribe_url}}</a></p>\n")
            try folder.write("supporters.csv", "name,email\nAna,ana@example.com\nBo,bo@example.com\nCy,cy@example.com\n")
        }

        /// Each delivered message's text, by its To address.
        func messages() throws -> [String: String] {
            var result: [String: String] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: outbox) {
                let text = try String(contentsOfFile: outbox + "/" + name, encoding: .utf8)
                let to = text.components(separatedBy: "\r\n").first { $0.hasPrefix("To: ") }?.split(separator: "<").last?.split(separator: ">").first.map(String.init) ?? "?"
                result[to] = text
            }
            return result
        }
    }

    @Test func oneClickThroughTheRunningServerAndALaterSendSkipsTheAddress() throws {
        let fixture = try Fixture()
        defer { fixture.folder.remove() }
        let sent = try CLI.run(["send", "news.json", "-q"], in: fixture.folder.url)
        #expect(sent.status == 0, "\(sent.stderr)")

        // The headers, as an independent parser reads them.
        let parsed = try PythonEmail.parse(["--maildir", fixture.folder.url.appendingPathComponent("outbox").path])
        #expect(parsed.count == 3)
        var links: [String: String] = [:]
        for message in parsed {
            #expect(message.defects.isEmpty, "\(message.defects)")
            let to = message.mailboxes("To").first?.address ?? "?"
            let header = try #require(message.headers["List-Unsubscribe"]?.first)
            let parts = header.components(separatedBy: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(parts.count == 2)
            #expect(parts[0].hasPrefix("<https://act.example.org/u/") && parts[0].hasSuffix(">"), "\(header)")
            #expect(parts[1] == "<mailto:leave@example.org?subject=unsubscribe>")
            #expect(message.headers["List-Unsubscribe-Post"] == ["List-Unsubscribe=One-Click"])
            let link = String(parts[0].dropFirst().dropLast())
            #expect(message.text?.contains(link) == true)
            #expect(message.html?.contains("href=\"\(link)\"") == true)
            // The link shows nothing of the address it stands for.
            let token = String(link.dropFirst("https://act.example.org/u/".count))
            #expect(!token.contains(to) && !token.lowercased().contains("example"))
            #expect(!token.contains(Data(to.utf8).base64EncodedString().prefix(8)))
            links[to] = link
        }
        #expect(Set(links.values).count == 3)

        let server = try ServeProcess(["news.json"], in: fixture.folder.url, extra: ["--base-url", "https://act.example.org"])
        defer { _ = server.terminate() }
        func local(_ link: String) -> String { server.base + link.dropFirst("https://act.example.org".count) }
        let bo = try #require(links["bo@example.com"])

        // GET: a page whose button posts; nothing is suppressed by looking.
        let page = try HTTP.request(local(bo))
        #expect(page.status == 200)
        #expect(page.body.contains("<form method=\"post\" action=\"/u/"))
        #expect(page.body.contains("name=\"List-Unsubscribe\" value=\"One-Click\""))
        #expect(!page.body.contains("bo@example.com"))
        let list = fixture.folder.url.appendingPathComponent("news.suppressed.txt").path
        #expect(!FileManager.default.fileExists(atPath: list))

        // POST, as a mail provider does it (RFC 8058): 200, no cookie, on the list before the answer.
        let post = try HTTP.request(local(bo), method: "POST", body: "List-Unsubscribe=One-Click")
        #expect(post.status == 200)
        #expect(post.headers["Set-Cookie"] == nil)
        #expect(!post.body.contains("bo@example.com"))
        let suppressed = try String(contentsOfFile: list, encoding: .utf8)
        #expect(suppressed.hasPrefix("bo@example.com  # unsubscribed "))
        #expect(suppressed.contains("(one-click)"))
        #expect(!suppressed.contains("ana@") && !suppressed.contains("cy@"))
        // Again: still 200, listed once.
        #expect(try HTTP.request(local(bo), method: "POST", body: "List-Unsubscribe=One-Click").status == 200)
        #expect(try String(contentsOfFile: list, encoding: .utf8).components(separatedBy: "bo@example.com").count == 2)

        // A token changed by one character, or made up, is refused and reveals nothing.
        let tampered = String(bo.dropLast()) + (bo.last == "A" ? "B" : "A")
        #expect(try HTTP.request(local(tampered), method: "POST", body: "List-Unsubscribe=One-Click").status == 404)
        #expect(try HTTP.request(server.base + "/u/not-a-token").status == 404)
        // A POST that is neither one-click nor the page's form says what is wrong.
        let bare = try HTTP.request(local(try #require(links["cy@example.com"])), method: "POST", body: "x=1")
        #expect(bare.status == 403)
        #expect(server.log.contains("POST /u/<token> 200"))
        #expect(!server.log.contains(String(bo.split(separator: "/").last ?? "")))

        // The next mailing skips Bo, as suppressed (not failed).
        try FileManager.default.removeItem(at: fixture.folder.url.appendingPathComponent("news.sendlog.jsonl"))
        try FileManager.default.removeItem(at: fixture.folder.url.appendingPathComponent("outbox"))
        let next = try CLI.run(["send", "news.json", "-q"], in: fixture.folder.url)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("suppressed              1"))
        #expect(Set(try fixture.messages().keys) == ["ana@example.com", "cy@example.com"])
    }

    @Test func checkRefusesAnUnsubscribeCampaignWhoseLetterHasNoLink() throws {
        let fixture = try Fixture()
        defer { fixture.folder.remove() }
        try fixture.folder.write("news.txt", "Subject: News\n\nDear {{recipient.name}},\nthe strike goes on.\n")
        let check = try CLI.run(["check", "news.json"], in: fixture.folder.url)
        #expect(check.status == 65)
        #expect(check.stdout.contains("news.txt: error: the campaign has \"unsubscribe\" but the letter shows no unsubscribe link"), "\(check.stdout)")
        try fixture.folder.write("news.json", """
        {"name": "news", "sender": {"name": "Campaign", "address": "campaign@example.org"},
         "template": "news.txt", "recipients": "supporters.csv", "mode": "each-recipient", "unsubscribe": true}
        """)
        let noBase = try CLI.run(["check", "news.json"], in: fixture.folder.url)
        #expect(noBase.status == 65)
        #expect(noBase.stdout.contains("\"unsubscribe\" needs \"base_url\""), "\(noBase.stdout)")
    }

    @Test func serveRefusesABaseURLOtherThanTheCampaigns() throws {
        let fixture = try Fixture()
        defer { fixture.folder.remove() }
        let result = try CLI.run(["serve", "news.json", "--listen", "127.0.0.1:0", "--base-url", "https://elsewhere.example.org"], in: fixture.folder.url)
        #expect(result.status == 78)
        #expect(result.stderr.contains("is not where this server answers"), "\(result.stderr)")
    }
}

/// Plain HTTP requests for the tests (URLSession), with status, headers and body.
enum HTTP {
    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    static func request(_ url: String, method: String = "GET", body: String? = nil) throws -> Answer {
        guard let target = URL(string: url) else { throw FixtureError(message: "bad URL \(url)") }
        var request = URLRequest(url: target)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        }
        let done = DispatchSemaphore(value: 0)
        let box = AnswerBox()
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let response = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (key, value) in response.allHeaderFields { headers["\(key)"] = "\(value)" }
                box.answer = Answer(status: response.statusCode, headers: headers, body: data.map { String(decoding: $0, as: UTF8.self) } ?? "")
            }
            box.failed = error != nil
            done.signal()
        }.resume()
        done.wait()
        guard let answer = box.answer else { throw FixtureError(message: "\(method) \(url) failed") }
        return answer
    }
}

final class AnswerBox: @unchecked Sendable {
    var answer: HTTP.Answer?
    var failed = false
}
