import Foundation
import Logging
import MegaphoneCampaign
import MegaphoneDelivery
import MegaphoneOutbox
import MegaphoneSignerMail
import MegaphoneTestSupport
import MegaphoneWeb

/// A petition and a letter campaign with pages, in a temporary folder, sharing one store.
struct WebFixture {
    let folder: TemporaryFolder
    var outbox: String { folder.url.appendingPathComponent("outbox").path }
    var store: String { folder.url.appendingPathComponent("data/signatures.sqlite").path }

    init() throws {
        folder = try TemporaryFolder()
        try folder.write("data/demands.txt", "Release the lawyer.\nReinstate the strikers.\n")
        try folder.write("data/case.json", #"{"case": {"lawyer": "A. Example"}}"#)
        try folder.write("page/appeal.html", "<p>Free {{case.lawyer}} & the strikers.</p>\n")
        try folder.write("targets.csv", "name,email,title,city\nMinistry,ministry@example.org,the Minister,Astana\nBoard,board@example.com,the Board,Almaty\n")
        try folder.write("embassies.csv", "name,email,ambassador,city\nEmbassy in London,london@example.org,Ms A,London\nEmbassy in Berlin,berlin@example.org,Mr B,Berlin\n")
        try folder.write("petition.txt", "Subject: Petition ({{signers | count}})\n\nTo {{recipient.title}},\n\nWe, the undersigned:\n{{#signers}}\n{{@number}}. {{name | upper}}, {{organisation}}, {{city}}\n{{/signers}}\n")
        try folder.write("letter.txt", "Subject: A letter\n\nDear {{recipient.ambassador}},\n\n{{#signer.message | default: \"\"}}\n{{signer.message}}\n\n{{/signer.message}}\nYours,\n{{signer.name}}\n")
        try folder.write("petition.json", """
        {"name": "petition", "sender": {"name": "Campaign", "address": "campaign@example.org"},
         "template": "petition.txt", "recipients": "targets.csv", "signers": {"store": "data/signatures.sqlite"},
         "data": ["data/demands.txt", "data/case.json"], "mode": "joint",
         "page": {"title": "Sign the petition", "appeal": "page/appeal.html", "fields": ["name", "email", "organisation", "city"], "goal": 100}}
        """)
        try folder.write("letters.json", """
        {"name": "letters", "sender": {"name": "Campaign", "address": "campaign@example.org"},
         "template": "letter.txt", "recipients": "embassies.csv", "signers": {"store": "data/signatures.sqlite"},
         "data": ["data/demands.txt", "data/case.json"], "mode": "each-signer", "locale": "ru",
         "page": {"title": "Write to an embassy", "fields": ["name", "email", "city"], "group_by": "city"}}
        """)
    }

    func path(_ name: String) -> String { folder.url.appendingPathComponent(name).path }

    /// The server's app for both campaigns, mail to the fixture's outbox.
    func app(perIP: String = "0", adminToken: String? = "organiser-token-for-tests", adminSession: Double = 12 * 3600) throws -> WebApp {
        var list: [(Campaign, SignerMailSettings)] = []
        for name in ["petition.json", "letters.json"] {
            let (campaign, problems) = Campaign.open(path(name))
            guard let campaign else { throw FixtureError(message: "\(problems)") }
            let log = path(name).replacingOccurrences(of: ".json", with: ".sendlog.jsonl")
            var delivery = DeliverySettings(target: .outbox(outbox))
            delivery.retry = .init(retries: 0, firstWait: 0.1, maximumWait: 0.1)
            list.append((campaign, SignerMailSettings(delivery: delivery, sendLog: log)))
        }
        var settings = WebSettings(baseURL: "http://megaphone.example.org")
        settings.perIP = PerIPLimit(perIP)!
        settings.adminToken = adminToken
        settings.adminSessionLifetime = adminSession
        return try WebApp(campaigns: list, settings: settings, logger: Logger(label: "test"))
    }

    /// Messages in the outbox (new/), as text.
    func outboxMessages() -> [String] {
        let new = "\(outbox)/new"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: new)) ?? []
        return files.sorted().compactMap { try? String(contentsOfFile: "\(new)/\($0)", encoding: .utf8) }
    }

    /// Waits until `count` messages are in the outbox (the mailer works in the background).
    func waitForOutbox(_ count: Int, seconds: Double = 15) -> [String] {
        let until = Date().addingTimeInterval(seconds)
        var messages = outboxMessages()
        while messages.count < count, Date() < until {
            Thread.sleep(forTimeInterval: 0.05)
            messages = outboxMessages()
        }
        return messages
    }
}

struct FixtureError: Error {
    let message: String
}

/// A link's token from an email's text (quoted-printable soft breaks undone).
func link(_ kind: String, in message: String) -> String? {
    let text = message.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=\n", with: "")
    guard let range = text.range(of: "/\(kind)/") else { return nil }
    return String(text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
}

/// The hidden csrf field of a page.
func csrf(in html: String) -> String? {
    guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
    return String(html[range.upperBound...].prefix { $0 != "\"" })
}

func formBody(_ pairs: [(String, String)]) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return pairs.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
        .joined(separator: "&")
}
