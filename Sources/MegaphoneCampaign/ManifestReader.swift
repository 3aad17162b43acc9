import Foundation
import MegaphoneMail
import MegaphoneValue

/// One campaign file being read: its parsed members, where each key is in the file,
/// and the problems found so far, each at the line and column of its key. The
/// manifest's keys are read by the named steps below, one concern each.
final class ManifestReader {
    let path: String
    let members: Object
    let locations: JSONLocations
    let folder: String
    private(set) var problems: [CampaignDiagnostic] = []

    private init(path: String, members: Object, locations: JSONLocations) {
        self.path = path
        self.members = members
        self.locations = locations
        folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    enum Opened {
        case reader(ManifestReader)
        case problem(CampaignDiagnostic)
    }

    /// Reads and parses the file; a missing file, bad JSON or a non-object is the one problem.
    static func open(_ path: String) -> Opened {
        guard FileManager.default.fileExists(atPath: path), let data = FileManager.default.contents(atPath: path) else {
            return .problem(CampaignDiagnostic(path: path, message: "no such campaign file; check the path", isMissingFile: true))
        }
        let parsed: (Value, JSONLocations)
        do { parsed = try JSONParser.parseWithLocations([UInt8](data)) } catch {
            return .problem(CampaignDiagnostic(path: path, line: error.line, column: error.column, message: error.message))
        }
        guard case .object(let members) = parsed.0 else {
            return .problem(CampaignDiagnostic(path: path, line: 1, column: 1, message: "a campaign file is a JSON object: { \"name\": …, \"mode\": … }"))
        }
        return .reader(ManifestReader(path: path, members: members, locations: parsed.1))
    }

    /// A problem at `key`'s place in the file.
    func problem(_ key: String, _ message: String, _ severity: CampaignDiagnostic.Severity = .error) {
        let location = locations.location(of: key)
        problems.append(CampaignDiagnostic(severity, path: path, line: location?.line, column: location?.column,
                                           message: message, sourceLine: location.map { locations.lineText($0.line) }))
    }

    /// A problem on `key`'s line, or the file's when the key is absent.
    func problemAt(_ key: String, _ message: String) {
        problems.append(CampaignDiagnostic(path: path, line: locations.location(of: key)?.line, message: message))
    }

    func warnUnknownKeys(_ known: Set<String>) {
        for key in members.keys.sorted() where !known.contains(key) {
            problem(key, "unknown key '\(key)' is ignored; the keys are \(known.sorted().joined(separator: ", "))", .warning)
        }
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

    /// A path in the file, relative to the campaign's folder.
    func resolve(_ relative: String?) -> String? { relative.map { DisplayPath.resolve($0, in: folder) } }
}

extension ManifestReader {
    /// `"sender": {"name": …, "address": …}`.
    func sender() -> Mailbox? {
        switch members["sender"] {
        case .object(let fields)?:
            let senderName: String
            if case .string(let text)? = fields["name"] { senderName = text } else {
                senderName = ""
                problem("sender", "\"sender\" needs a \"name\", as in {\"name\": \"Campaign Kazakhstan\", \"address\": \"campaign@example.org\"}")
            }
            guard case .string(let text)? = fields["address"] else {
                problem("sender", "\"sender\" needs an \"address\", the campaign's own mailbox")
                return nil
            }
            do { return try Mailbox(displayName: senderName, address: EmailAddress(text)) } catch {
                problem("sender.address", "\"sender\": \(error)")
                return nil
            }
        case nil:
            problems.append(CampaignDiagnostic(path: path, message: "the campaign has no \"sender\"; add \"sender\": {\"name\": \"…\", \"address\": \"…@…\"}"))
        default:
            problem("sender", "\"sender\" must be an object: {\"name\": \"…\", \"address\": \"…@…\"}")
        }
        return nil
    }

    /// `"bounce"`: where returned mail goes; when given, each message's envelope names it (VERP).
    func bounce(default sender: EmailAddress?) -> (EmailAddress?, verp: Bool) {
        guard let text = string("bounce", required: false) else { return (sender, false) }
        do {
            let address = try EmailAddress(text)
            if address.localPart.contains("+") {
                problem("bounce", "\"bounce\" must not hold a '+': Megaphone adds '+TOKEN' to it for each message (VERP); give the plain mailbox, as in \"bounces@example.org\"")
            } else if address.localPart.utf8.count + 17 > 64 {
                // RFC 5321 §4.5.3.1.1: a local part has 64 octets at most, and VERP adds 17.
                problem("bounce", "\"bounce\"'s name before the @ is too long: Megaphone adds '+' and a 16-character token to it (VERP), and the whole may be 64 characters at most; use a shorter mailbox, as in \"bounces@example.org\"")
            }
            return (address, true)
        } catch {
            problem("bounce", "\"bounce\": \(error)")
            return (sender, false)
        }
    }

    /// `"unsubscribe": true | false | {"mailto": …}`.
    func unsubscribe() -> CampaignManifest.Unsubscribe? {
        switch members["unsubscribe"] {
        case nil, .bool(false)?: return nil
        case .bool(true)?: return CampaignManifest.Unsubscribe(mailto: nil)
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
            return CampaignManifest.Unsubscribe(mailto: mailto)
        default:
            problem("unsubscribe", "\"unsubscribe\" must be true, false, or {\"mailto\": \"leave@example.org\"}")
            return nil
        }
    }

    /// `"base_url"`: the public address of `megaphone serve`, which unsubscribe links need.
    func baseURL(needed: Bool) -> String? {
        var baseURL: String? = nil
        if let text = string("base_url", required: false) {
            if let components = URLComponents(string: text), ["http", "https"].contains(components.scheme ?? ""), components.host?.isEmpty == false {
                baseURL = text.hasSuffix("/") ? String(text.dropLast()) : text
            } else {
                problem("base_url", "\"base_url\" must be the public address of megaphone serve, as in \"https://act.example.org\"")
            }
        }
        if needed, baseURL == nil, members["base_url"] == nil {
            problem("unsubscribe", "\"unsubscribe\" needs \"base_url\": the public address of megaphone serve, where the links BASE/u/TOKEN lead, as in \"base_url\": \"https://act.example.org\"")
        }
        return baseURL
    }

    /// `"signers"`: a CSV file, or `{"store": …}`, the signature store.
    func signers() -> (file: String?, store: String?) {
        switch members["signers"] {
        case nil: return (nil, nil)
        case .object(let fields)?:
            for key in fields.keys.sorted() where key != "store" {
                problem("signers.\(key)", "unknown key '\(key)' in \"signers\"; the only one is \"store\"", .warning)
            }
            if case .string(let text)? = fields["store"], !text.trimmingCharacters(in: .whitespaces).isEmpty {
                return (nil, resolve(text))
            }
            problem("signers", "\"signers\" as an object needs a \"store\": the signature store's file, as in {\"store\": \"data/signatures.sqlite\"}")
            return (nil, nil)
        default:
            return (resolve(string("signers", required: false)), nil)
        }
    }

    /// `"mode"`, and the signers every mode but each-recipient needs.
    func mode(hasSigners: Bool) -> CampaignManifest.Mode? {
        guard let text = string("mode", required: true) else { return nil }
        guard let mode = CampaignManifest.Mode(rawValue: text) else {
            problem("mode", "\"mode\" must be one of \(CampaignManifest.Mode.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text)\"")
            return nil
        }
        if mode != .eachRecipient, !hasSigners, members["signers"] == nil {
            problems.append(CampaignDiagnostic(path: path, message: "mode \"\(mode.rawValue)\" needs signers: a CSV file (\"signers\": \"…csv\") or a signature store (\"signers\": {\"store\": \"…sqlite\"})"))
        }
        return mode
    }

    /// The keys with defaults: `locale`, `from`, `smtputf8`, `max_message_size`, `signers_as`.
    func choices() -> (locale: String, from: CampaignManifest.FromPolicy, smtputf8: Bool, maxMessageSize: Int, signersAs: CampaignManifest.SignersAs) {
        var fromPolicy = CampaignManifest.FromPolicy.campaign
        if let text = string("from", required: false) {
            if let policy = CampaignManifest.FromPolicy(rawValue: text) { fromPolicy = policy } else {
                problem("from", "\"from\" must be \"campaign\" (the default: the campaign's address, DMARC-safe) or \"signer\"")
            }
        }
        var smtputf8 = false
        if let value = members["smtputf8"] {
            if case .bool(let flag) = value { smtputf8 = flag } else { problem("smtputf8", "\"smtputf8\" must be true or false") }
        }
        var maxMessageSize = CampaignManifest.defaultMaxMessageSize
        if let value = members["max_message_size"] {
            if let size = ByteSize.parse(value) { maxMessageSize = size } else {
                problem("max_message_size", "\"max_message_size\" is the largest message to send, as a number of bytes or text such as \"20 MB\" or \"10 MiB\" (at least 1 KB)")
            }
        }
        var signersAs = CampaignManifest.SignersAs.auto
        if let text = string("signers_as", required: false) {
            if let choice = CampaignManifest.SignersAs(rawValue: text) { signersAs = choice } else {
                problem("signers_as", "\"signers_as\" is \"auto\" (the default: in the letter up to \(CampaignManifest.attachmentThreshold) signers, attached above), \"body\" or \"attachment\"")
            }
        }
        return (string("locale", required: false) ?? "en", fromPolicy, smtputf8, maxMessageSize, signersAs)
    }
}
