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
        var problems: [CampaignDiagnostic] = []
        guard FileManager.default.fileExists(atPath: path),
              let data = FileManager.default.contents(atPath: path) else {
            return (nil, [CampaignDiagnostic(path: path, message: "no such campaign file; check the path", isMissingFile: true)])
        }
        let parsed: (Value, JSONLocations)
        do {
            parsed = try JSONParser.parseWithLocations([UInt8](data))
        } catch {
            return (nil, [CampaignDiagnostic(path: path, line: error.line, column: error.column, message: error.message)])
        }
        let (root, locations) = parsed
        func problem(_ key: String, _ message: String, _ severity: CampaignDiagnostic.Severity = .error) {
            let location = locations.location(of: key)
            problems.append(CampaignDiagnostic(severity, path: path, line: location?.line, column: location?.column,
                                               message: message, sourceLine: location.map { locations.lineText($0.line) }))
        }
        guard case .object(let members) = root else {
            return (nil, [CampaignDiagnostic(path: path, line: 1, column: 1, message: "a campaign file is a JSON object: { \"name\": …, \"mode\": … }")])
        }
        for key in members.keys.sorted() where !knownKeys.contains(key) {
            problem(key, "unknown key '\(key)' is ignored; the keys are \(knownKeys.sorted().joined(separator: ", "))", .warning)
        }
        func string(_ key: String, required: Bool) -> String? {
            switch members[key] {
            case .string(let text)? where !text.trimmingCharacters(in: .whitespaces).isEmpty: return text
            case nil where !required: return nil
            case nil: problems.append(CampaignDiagnostic(path: path, message: "the campaign has no \"\(key)\"; add \"\(key)\": \"…\""))
            default: problem(key, "\"\(key)\" must be non-empty text in double quotes")
            }
            return nil
        }
        func list(_ key: String) -> [String] {
            switch members[key] {
            case nil: return []
            case .array(let items)?:
                var result: [String] = []
                for (index, item) in items.enumerated() {
                    if case .string(let text) = item { result.append(text) } else { problem("\(key)[\(index)]", "each entry of \"\(key)\" must be a file path in double quotes") }
                }
                return result
            case .string(let single)?: return [single]
            default:
                problem(key, "\"\(key)\" must be a list of file paths, as in [\"demands.txt\"]")
                return []
            }
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        func resolve(_ relative: String?) -> String? { relative.map { DisplayPath.resolve($0, in: folder) } }

        let name = string("name", required: true)
        // Every campaign, served or not: the name also goes in Message-IDs and X-Campaign,
        // and a campaign sent today may get a page tomorrow.
        if let name, let message = CampaignName.problem(name) {
            problem("name", message)
        }
        var sender: Mailbox? = nil
        switch members["sender"] {
        case .object(let fields)?:
            let senderName: String
            if case .string(let text)? = fields["name"] { senderName = text } else {
                senderName = ""
                problem("sender", "\"sender\" needs a \"name\", as in {\"name\": \"Campaign Kazakhstan\", \"address\": \"campaign@example.org\"}")
            }
            if case .string(let text)? = fields["address"] {
                do {
                    sender = try Mailbox(displayName: senderName, address: EmailAddress(text))
                } catch {
                    problem("sender.address", "\"sender\": \(error)")
                }
            } else {
                problem("sender", "\"sender\" needs an \"address\", the campaign's own mailbox")
            }
        case nil:
            problems.append(CampaignDiagnostic(path: path, message: "the campaign has no \"sender\"; add \"sender\": {\"name\": \"…\", \"address\": \"…@…\"}"))
        default:
            problem("sender", "\"sender\" must be an object: {\"name\": \"…\", \"address\": \"…@…\"}")
        }
        var bounce: EmailAddress? = sender?.address
        var verp = false
        if let text = string("bounce", required: false) {
            do {
                let address = try EmailAddress(text)
                bounce = address
                verp = true
                if address.localPart.contains("+") {
                    problem("bounce", "\"bounce\" must not hold a '+': Megaphone adds '+TOKEN' to it for each message (VERP); give the plain mailbox, as in \"bounces@example.org\"")
                } else if address.localPart.utf8.count + 17 > 64 {
                    // RFC 5321 §4.5.3.1.1: a local part has 64 octets at most, and VERP adds 17.
                    problem("bounce", "\"bounce\"'s name before the @ is too long: Megaphone adds '+' and a 16-character token to it (VERP), and the whole may be 64 characters at most; use a shorter mailbox, as in \"bounces@example.org\"")
                }
            } catch { problem("bounce", "\"bounce\": \(error)") }
        }
        var unsubscribe: Unsubscribe? = nil
        switch members["unsubscribe"] {
        case nil, .bool(false)?: break
        case .bool(true)?: unsubscribe = Unsubscribe(mailto: nil)
        case .object(let fields)?:
            var mailto: EmailAddress? = nil
            for key in fields.keys.sorted() where key != "mailto" {
                problem("unsubscribe.\(key)", "unknown key '\(key)' in \"unsubscribe\"; the only one is \"mailto\"", .warning)
            }
            if case .string(let text)? = fields["mailto"] {
                do { mailto = try EmailAddress(text) } catch { problem("unsubscribe.mailto", "\"mailto\": \(error)") }
            } else if fields["mailto"] != nil {
                problem("unsubscribe.mailto", "\"mailto\" must be an address in double quotes, as in \"leave@example.org\"")
            }
            unsubscribe = Unsubscribe(mailto: mailto)
        default:
            problem("unsubscribe", "\"unsubscribe\" must be true, false, or {\"mailto\": \"leave@example.org\"}")
        }
        var baseURL: String? = nil
        if let text = string("base_url", required: false) {
            if let components = URLComponents(string: text), ["http", "https"].contains(components.scheme ?? ""), components.host?.isEmpty == false {
                baseURL = text.hasSuffix("/") ? String(text.dropLast()) : text
            } else {
                problem("base_url", "\"base_url\" must be the public address of megaphone serve, as in \"https://act.example.org\"")
            }
        }
        if unsubscribe != nil, baseURL == nil, members["base_url"] == nil {
            problem("unsubscribe", "\"unsubscribe\" needs \"base_url\": the public address of megaphone serve, where the links BASE/u/TOKEN lead, as in \"base_url\": \"https://act.example.org\"")
        }
        let template = resolve(string("template", required: true))
        let html = resolve(string("html", required: false))
        let recipients = resolve(string("recipients", required: true))
        var signers: String? = nil
        var signerStore: String? = nil
        switch members["signers"] {
        case nil: break
        case .object(let fields)?:
            for key in fields.keys.sorted() where key != "store" {
                problem("signers.\(key)", "unknown key '\(key)' in \"signers\"; the only one is \"store\"", .warning)
            }
            if case .string(let text)? = fields["store"], !text.trimmingCharacters(in: .whitespaces).isEmpty {
                signerStore = resolve(text)
            } else {
                problem("signers", "\"signers\" as an object needs a \"store\": the signature store's file, as in {\"store\": \"data/signatures.sqlite\"}")
            }
        default:
            signers = resolve(string("signers", required: false))
        }
        let page = loadPage(members["page"], problem: problem, resolve: resolve)
        if members["page"] != nil, signerStore == nil {
            problems.append(CampaignDiagnostic(path: path, line: locations.location(of: "page")?.line,
                                               message: "the campaign has a \"page\" but no signature store for it to fill; add \"signers\": {\"store\": \"data/signatures.sqlite\"}"))
        }
        let dataFiles = list("data").compactMap { resolve($0) }
        let attachments = list("attachments").compactMap { resolve($0) }
        var mode: Mode? = nil
        if let text = string("mode", required: true) {
            mode = Mode(rawValue: text)
            if mode == nil {
                problem("mode", "\"mode\" must be one of \(Mode.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text)\"")
            }
        }
        if let mode, mode != .eachRecipient, signers == nil, signerStore == nil, members["signers"] == nil {
            problems.append(CampaignDiagnostic(path: path, message: "mode \"\(mode.rawValue)\" needs signers: a CSV file (\"signers\": \"…csv\") or a signature store (\"signers\": {\"store\": \"…sqlite\"})"))
        }
        var fromPolicy = FromPolicy.campaign
        if let text = string("from", required: false) {
            if let policy = FromPolicy(rawValue: text) { fromPolicy = policy } else {
                problem("from", "\"from\" must be \"campaign\" (the default: the campaign's address, DMARC-safe) or \"signer\"")
            }
        }
        var smtputf8 = false
        if let value = members["smtputf8"] {
            if case .bool(let flag) = value { smtputf8 = flag } else { problem("smtputf8", "\"smtputf8\" must be true or false") }
        }
        var maxMessageSize = defaultMaxMessageSize
        if let value = members["max_message_size"] {
            if let size = ByteSize.parse(value) { maxMessageSize = size } else {
                problem("max_message_size", "\"max_message_size\" is the largest message to send, as a number of bytes or text such as \"20 MB\" or \"10 MiB\" (at least 1 KB)")
            }
        }
        var signersAs = SignersAs.auto
        if let text = string("signers_as", required: false) {
            if let choice = SignersAs(rawValue: text) { signersAs = choice } else {
                problem("signers_as", "\"signers_as\" is \"auto\" (the default: in the letter up to \(attachmentThreshold) signers, attached above), \"body\" or \"attachment\"")
            }
        }
        let locale = string("locale", required: false) ?? "en"
        for (index, file) in dataFiles.enumerated() where !(file.hasSuffix(".json") || file.hasSuffix(".txt")) {
            problem("data[\(index)]", "data files must be .json (merged into the data) or .txt (a list named after the file)")
        }
        guard problems.allSatisfy({ $0.severity == .warning }), let name, let sender, let bounce, let template,
              let recipients, let mode else {
            return (nil, problems)
        }
        if unsubscribe != nil, mode != .eachRecipient {
            problem("unsubscribe", "\"unsubscribe\" is for mail to supporters (mode \"each-recipient\"): letters to officials carry no unsubscribe link; remove it", .warning)
        }
        return (CampaignManifest(path: path, name: name, sender: sender, bounce: bounce, verp: verp,
                                 unsubscribe: mode == .eachRecipient ? unsubscribe : nil, baseURL: baseURL, template: template, html: html,
                                 recipients: recipients, signers: signers, signerStore: signerStore, page: page, data: dataFiles, attachments: attachments,
                                 mode: mode, locale: locale, from: fromPolicy, smtputf8: smtputf8, maxMessageSize: maxMessageSize,
                                 signersAs: signersAs), problems)
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
