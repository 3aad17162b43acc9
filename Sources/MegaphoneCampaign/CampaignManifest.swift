import Foundation
public import MegaphoneMail
import MegaphoneValue

/// A campaign file (JSON): who sends, to whom, with which template and data, in
/// which merge mode. Paths in it are relative to its own folder.
public struct CampaignManifest: Sendable {
    /// How rows become messages.
    public enum Mode: String, Sendable, CaseIterable {
        /// One message per recipient row (press releases, solidarity messages).
        case eachRecipient = "each-recipient"
        /// One message per signer × recipient (every supporter writes to every embassy).
        case eachSigner = "each-signer"
        /// One message per recipient carrying the whole signer list (a petition).
        case joint
    }

    /// Whose address goes in From in each-signer mode.
    public enum FromPolicy: String, Sendable {
        /// The campaign's own address, shown as "Signer via Campaign" (DMARC-safe).
        case campaign
        /// The signer's own address: only for a sender who owns the signers' domain.
        case signer
    }

    /// The campaign file as given.
    public let path: String
    public let name: String
    public let sender: Mailbox
    /// The envelope sender (MAIL FROM), which receives bounces.
    public let bounce: EmailAddress
    /// The campaign gave its own `bounce` address: each message's envelope sender is
    /// then `bounce+TOKEN@domain` (VERP), so `megaphone bounces` can tell which letter came back.
    public let verp: Bool
    /// One-click unsubscribe (mail to supporters): `"unsubscribe": true`, or
    /// `{"mailto": "leave@example.org"}` to offer a mailbox as well.
    public let unsubscribe: Unsubscribe?
    /// The public address of the campaign's `megaphone serve` (unsubscribe links).
    public let baseURL: String?

    /// How a message to a supporter can be unsubscribed from.
    public struct Unsubscribe: Sendable {
        /// A mailbox that also takes unsubscribe requests (read by a person).
        public let mailto: EmailAddress?
    }
    public let template: String
    public let html: String?
    public let recipients: String
    /// The signers' CSV file, when signers come from a file.
    public let signers: String?
    /// The signature store (SQLite), when signers come from `megaphone serve`.
    public let signerStore: String?
    /// The supporters' page, when the campaign has one.
    public let page: PageSettings?
    public let data: [String]
    public let attachments: [String]
    public let mode: Mode
    public let locale: String
    public let from: FromPolicy
    /// Allow non-ASCII local parts (the server must support SMTPUTF8).
    public let smtputf8: Bool
    /// The largest message the campaign may send, in bytes as sent (`max_message_size`:
    /// 20 MB unless the campaign says otherwise). Mail servers commonly refuse more
    /// than 10–35 MB (Gmail 25 MB); a larger message is an error before anything connects.
    public let maxMessageSize: Int
    public static let defaultMaxMessageSize = 20_000_000
    /// Where a joint letter's signers go (`signers_as`).
    public let signersAs: SignersAs

    /// `signers_as`: a joint letter lists its signers in its body, or says how many
    /// signed and where from and carries the full list as files.
    public enum SignersAs: String, Sendable {
        /// In the body up to `attachmentThreshold` signers, as files above (the default).
        case auto
        case body
        case attachment
    }

    /// Whether a joint letter with `count` signers carries them as files.
    public func sendsSignersAsFiles(_ count: Int) -> Bool {
        guard mode == .joint else { return false }
        switch signersAs {
        case .body: return false
        case .attachment: return true
        case .auto: return count > Self.attachmentThreshold
        }
    }

    /// Above this many signers, `auto` delivers them as files: a letter is read, a list of a thousand names is not.
    public static let attachmentThreshold = 1000

    static let knownKeys: Set<String> = ["name", "sender", "template", "html", "recipients", "signers", "data",
                                         "attachments", "mode", "locale", "from", "smtputf8", "bounce", "description", "page",
                                         "unsubscribe", "base_url", "max_message_size", "signers_as"]

    /// Reads and checks a campaign file; every problem found is returned.
    public static func load(_ path: String) -> (CampaignManifest?, [CampaignDiagnostic]) {
        let reader: ManifestReader
        switch ManifestReader.open(path) {
        case .problem(let problem): return (nil, [problem])
        case .reader(let opened): reader = opened
        }
        reader.warnUnknownKeys(knownKeys)
        let name = reader.string("name", required: true)
        // Every campaign, served or not: the name also goes in Message-IDs and X-Campaign,
        // and a campaign sent today may get a page tomorrow.
        if let name, let message = CampaignName.problem(name) { reader.problem("name", message) }
        let sender = reader.sender()
        let (bounce, verp) = reader.bounce(default: sender?.address)
        let unsubscribe = reader.unsubscribe()
        let baseURL = reader.baseURL(needed: unsubscribe != nil)
        let template = reader.resolve(reader.string("template", required: true))
        let html = reader.resolve(reader.string("html", required: false))
        let recipients = reader.resolve(reader.string("recipients", required: true))
        let (signers, signerStore) = reader.signers()
        let page = loadPage(reader.members["page"], problem: reader.problem, resolve: reader.resolve)
        if reader.members["page"] != nil, signerStore == nil {
            reader.problemAt("page", "the campaign has a \"page\" but no signature store for it to fill; add \"signers\": {\"store\": \"data/signatures.sqlite\"}")
        }
        let dataFiles = reader.list("data").compactMap { reader.resolve($0) }
        let attachments = reader.list("attachments").compactMap { reader.resolve($0) }
        let mode = reader.mode(hasSigners: signers != nil || signerStore != nil)
        let choices = reader.choices()
        for (index, file) in dataFiles.enumerated() where !(file.hasSuffix(".json") || file.hasSuffix(".txt")) {
            reader.problem("data[\(index)]", "data files must be .json (merged into the data) or .txt (a list named after the file)")
        }
        guard reader.problems.allSatisfy({ $0.severity == .warning }), let name, let sender, let bounce, let template,
              let recipients, let mode else {
            return (nil, reader.problems)
        }
        if unsubscribe != nil, mode != .eachRecipient {
            reader.problem("unsubscribe", "\"unsubscribe\" is for mail to supporters (mode \"each-recipient\"): letters to officials carry no unsubscribe link; remove it", .warning)
        }
        return (CampaignManifest(path: path, name: name, sender: sender, bounce: bounce, verp: verp,
                                 unsubscribe: mode == .eachRecipient ? unsubscribe : nil, baseURL: baseURL, template: template, html: html,
                                 recipients: recipients, signers: signers, signerStore: signerStore, page: page, data: dataFiles, attachments: attachments,
                                 mode: mode, locale: choices.locale, from: choices.from, smtputf8: choices.smtputf8, maxMessageSize: choices.maxMessageSize,
                                 signersAs: choices.signersAs), reader.problems)
    }

    private static func loadPage(_ value: Value?, problem: (String, String, CampaignDiagnostic.Severity) -> Void,
                                 resolve: (String?) -> String?) -> PageSettings? {
        guard let value else { return nil }
        guard case .object(let fields) = value else {
            problem("page", "\"page\" must be an object: {\"title\": \"…\", \"appeal\": \"page/appeal.html\", \"fields\": [\"name\", \"email\", …]}", .error)
            return nil
        }
        for key in fields.keys.sorted() where !PageSettings.knownKeys.contains(key) {
            problem("page.\(key)", "unknown key '\(key)' in \"page\" is ignored; the keys are \(PageSettings.knownKeys.sorted().joined(separator: ", "))", .warning)
        }
        func text(_ key: String) -> String? {
            switch fields[key] {
            case nil: return nil
            case .string(let text)? where !text.trimmingCharacters(in: .whitespaces).isEmpty: return text
            default:
                problem("page.\(key)", "\"\(key)\" in \"page\" must be non-empty text in double quotes", .error)
                return nil
            }
        }
        func number(_ key: String, range: ClosedRange<Int>) -> Int? {
            switch fields[key] {
            case nil: return nil
            case .int(let number)? where range.contains(number): return number
            default:
                problem("page.\(key)", "\"\(key)\" in \"page\" must be a whole number from \(range.lowerBound) to \(range.upperBound)", .error)
                return nil
            }
        }
        guard let title = text("title") else {
            if fields["title"] == nil { problem("page", "\"page\" needs a \"title\", shown at the top of the page", .error) }
            return nil
        }
        var formFields = ["name", "email"]
        switch fields["fields"] {
        case nil: formFields += ["organisation", "city"]
        case .array(let items)?:
            for (index, item) in items.enumerated() {
                guard case .string(let name) = item, PageSettings.knownFields.contains(name) else {
                    problem("page.fields[\(index)]", "each field must be one of \(PageSettings.knownFields.joined(separator: ", "))", .error)
                    continue
                }
                if !formFields.contains(name) { formFields.append(name) }
            }
        default: problem("page.fields", "\"fields\" must be a list, as in [\"name\", \"email\", \"organisation\", \"city\"]", .error)
        }
        var required = ["name", "email"]
        switch fields["required"] {
        case nil: break
        case .array(let items)?:
            for (index, item) in items.enumerated() {
                guard case .string(let name) = item, formFields.contains(name) else {
                    problem("page.required[\(index)]", "each required field must be one of the page's \"fields\" (\(formFields.joined(separator: ", ")))", .error)
                    continue
                }
                if !required.contains(name) { required.append(name) }
            }
        default: problem("page.required", "\"required\" must be a list of the page's fields, as in [\"city\"]", .error)
        }
        var replyToSigner = PageSettings.ReplyToSigner.ask
        if let choice = text("reply_to_signer") {
            if let known = PageSettings.ReplyToSigner(rawValue: choice) { replyToSigner = known } else {
                problem("page.reply_to_signer", "\"reply_to_signer\" is \"ask\" (the supporter chooses; the default), \"always\" or \"never\"", .error)
            }
        }
        var closes: Date? = nil
        if let text = text("closes") {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime]
            closes = formatter.date(from: text)
            if closes == nil {
                problem("page.closes", "\"closes\" must be a time with its offset, as in \"2026-12-16T00:00:00+05:00\"", .error)
            }
        }
        var embed: [String] = []
        if case .array(let items)? = fields["embed_from"] {
            for item in items { if case .string(let origin) = item, origin.hasPrefix("https://") || origin.hasPrefix("http://") { embed.append(origin) } }
        } else if fields["embed_from"] != nil {
            problem("page.embed_from", "\"embed_from\" must be a list of origins, as in [\"https://union.example.org\"]", .error)
        }
        return PageSettings(title: title, appeal: resolve(text("appeal")), fields: formFields, goal: number("goal", range: 1...100_000_000),
                            closes: closes, confirmation: resolve(text("confirmation")), groupBy: text("group_by"),
                            embedFrom: embed, templates: resolve(text("templates")), confirmDays: number("confirm_days", range: 1...90) ?? 7,
                            required: required, replyToSigner: replyToSigner)
    }
}
