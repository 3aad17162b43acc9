import Foundation
import MegaphoneTestSupport

/// A campaign with a bounce address (VERP), sent into its outbox, and what its send
/// log says of each letter: what returned mail is filled in with.
struct BounceFixture {
    let folder: TemporaryFolder
    var campaign: String { folder.url.appendingPathComponent("campaign.json").path }
    var logPath: String { folder.url.appendingPathComponent("campaign.sendlog.jsonl").path }
    var suppressedPath: String { folder.url.appendingPathComponent("campaign.suppressed.txt").path }

    struct Letter {
        let key: String
        let token: String
        let messageID: String
        let recipient: String
    }

    init(recipients: [String], send: Bool = true, smtp: [String] = []) throws {
        folder = try TemporaryFolder()
        try folder.write("campaign.json", """
        {"name": "bounce-test", "sender": {"name": "Campaign", "address": "campaign@example.org"},
         "bounce": "bounces@example.org",
         "template": "template.txt", "recipients": "recipients.csv", "mode": "each-recipient"}
        """)
        try folder.write("template.txt", "Subject: Letter\nX-Campaign: {{campaign.name}}\n\nDear {{recipient.name}},\nplease act.\n")
        try folder.write("recipients.csv", "name,email\n" + recipients.enumerated().map { "Person \($0.offset + 1),\($0.element)" }.joined(separator: "\n") + "\n")
        if send {
            let result = try CLI.run(["send", "campaign.json", "-q"] + smtp, in: folder.url)
            guard result.status == 0 else { throw FixtureFailure(message: "send failed: \(result.stderr)") }
        }
    }

    /// Each letter the log recorded, by recipient address.
    func letters() throws -> [String: Letter] {
        var result: [String: Letter] = [:]
        for record in try records() where record["state"] as? String == "attempt" {
            guard let key = record["key"] as? String, let token = record["verp"] as? String,
                  let id = record["message_id"] as? String else { continue }
            result[key] = Letter(key: key, token: token, messageID: id, recipient: key)
        }
        return result
    }

    func records() throws -> [[String: Any]] {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
    }

    /// The `bounced` records, by key.
    func bounces() throws -> [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        for record in try records() where record["state"] as? String == "bounced" {
            if let key = record["key"] as? String, let bounce = record["bounce"] as? [String: Any] { result[key] = bounce }
        }
        return result
    }

    /// A recorded sample from Tests/Fixtures/bounces, filled in for `letter`.
    static func sample(_ name: String, for letter: Letter) throws -> String {
        let path = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/bounces/\(name)").path
        return try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "{{TOKEN}}", with: letter.token)
            .replacingOccurrences(of: "{{MESSAGE_ID}}", with: letter.messageID)
            .replacingOccurrences(of: "{{RCPT}}", with: letter.recipient)
    }

    /// A Maildir in the fixture's folder holding `messages` (name → text).
    func maildir(_ name: String, _ messages: [(String, String)]) throws -> String {
        for (file, text) in messages { try folder.write("\(name)/new/\(file)", text) }
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("\(name)/cur"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("\(name)/tmp"), withIntermediateDirectories: true)
        return folder.url.appendingPathComponent(name).path
    }
}

struct FixtureFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
