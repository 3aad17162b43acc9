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
    public let template: String
    public let html: String?
    public let recipients: String
    public let signers: String?
    public let data: [String]
    public let attachments: [String]
    public let mode: Mode
    public let locale: String
    public let from: FromPolicy
    /// Allow non-ASCII local parts (the server must support SMTPUTF8).
    public let smtputf8: Bool

    static let knownKeys: Set<String> = ["name", "sender", "template", "html", "recipients", "signers", "data",
                                         "attachments", "mode", "locale", "from", "smtputf8", "bounce", "description"]

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
        if let name, name.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            problem("name", "\"name\" must not contain line breaks or control characters")
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
        if let text = string("bounce", required: false) {
            do { bounce = try EmailAddress(text) } catch { problem("bounce", "\"bounce\": \(error)") }
        }
        let template = resolve(string("template", required: true))
        let html = resolve(string("html", required: false))
        let recipients = resolve(string("recipients", required: true))
        let signers = resolve(string("signers", required: false))
        let dataFiles = list("data").compactMap { resolve($0) }
        let attachments = list("attachments").compactMap { resolve($0) }
        var mode: Mode? = nil
        if let text = string("mode", required: true) {
            mode = Mode(rawValue: text)
            if mode == nil {
                problem("mode", "\"mode\" must be one of \(Mode.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text)\"")
            }
        }
        if let mode, mode != .eachRecipient, signers == nil, members["signers"] == nil {
            problems.append(CampaignDiagnostic(path: path, message: "mode \"\(mode.rawValue)\" needs a \"signers\" CSV file; add \"signers\": \"…csv\""))
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
        let locale = string("locale", required: false) ?? "en"
        for (index, file) in dataFiles.enumerated() where !(file.hasSuffix(".json") || file.hasSuffix(".txt")) {
            problem("data[\(index)]", "data files must be .json (merged into the data) or .txt (a list named after the file)")
        }
        guard problems.allSatisfy({ $0.severity == .warning }), let name, let sender, let bounce, let template,
              let recipients, let mode else {
            return (nil, problems)
        }
        return (CampaignManifest(path: path, name: name, sender: sender, bounce: bounce, template: template, html: html,
                                 recipients: recipients, signers: signers, data: dataFiles, attachments: attachments,
                                 mode: mode, locale: locale, from: fromPolicy, smtputf8: smtputf8), problems)
    }
}
