import Foundation
import MegaphoneData
import MegaphoneMail
import MegaphoneTemplate
import MegaphoneValue
import MegaphoneTokens

/// Turns one recipient row (and signer) into a message: renders the header values
/// and bodies in strict mode, parses and checks the addresses, applies the
/// DMARC-safe From, and writes the RFC 5322 bytes.
struct MessageComposer {
    let campaign: Campaign
    let recipient: MessageStream.Recipient
    let signer: Campaign.SignerRow?
    let number: Int
    let key: String
    /// The Date header: when the message is composed to be sent.
    let date: Date

    private var manifest: CampaignManifest { campaign.manifest }

    /// The one-click unsubscribe link for this recipient, when the campaign offers one.
    var unsubscribeURL: String? {
        guard manifest.unsubscribe != nil, let base = manifest.baseURL, let tokens = campaign.tokens else { return nil }
        return base + "/\(ServerPaths.unsubscribe)/" + tokens.unsubscribeToken(for: recipient.mailbox.address.description)
    }

    /// What `| pick` keys its choices on: the message, and its recipient and signer.
    private var pickKeys: PickKeys {
        PickKeys(message: key, signer: manifest.mode == .eachSigner ? signer?.key : nil, recipient: recipient.key)
    }

    private func frames(data: Value, unsubscribeURL: String?) -> [Value] {
        var message: Object = ["recipient": .object(Object(strings: recipient.fields))]
        if let unsubscribeURL { message["unsubscribe_url"] = .string(unsubscribeURL) }
        switch manifest.mode {
        case .eachRecipient: break
        case .eachSigner: if let signer { message["signer"] = signer.value }
        case .joint:
            // Listed in the body, or (signers_as) counted here and attached as files.
            let attached = campaign.attachedSigners
            message["signers"] = .array(attached == nil ? campaign.signers.map(\.value) : [])
            message["signers_attached"] = .bool(attached != nil)
            message["signer_count"] = .int(campaign.signerCount)
            // The 20 places most signers come from, and how many come from anywhere else.
            let places = campaign.signerPlaces
            message["signer_places"] = .array(places.map { .object(["place": .string($0.place), "count": .int($0.count)]) })
            message["signer_places_other"] = .int(campaign.signerCount - places.reduce(0) { $0 + $1.count })
        }
        return [data, .object(message)]
    }

    /// The letter's headers, text and HTML rendered for this message.
    struct Rendered {
        let letter: LetterTemplate
        let html: Template?
        var values: [String: (value: String, header: LetterTemplate.HeaderTemplate)]
        var text: String
        var htmlText: String?
    }

    /// Who a message is from and to, from its rendered headers and the campaign.
    struct Envelope {
        var from: Mailbox
        var to: [Mailbox]
        var cc: [Mailbox]
        var bcc: [Mailbox]
        var replyTo: [Mailbox]
        var warnings: [CampaignDiagnostic]
    }

    func compose() -> MessageOutcome {
        let unsubscribeURL = self.unsubscribeURL
        let rendered: Rendered
        switch render(unsubscribeURL: unsubscribeURL) {
        case .failure(let problems): return .problems(problems.diagnostics)
        case .success(let parts): rendered = parts
        }
        if let problems = controlCharacterProblems(rendered) { return .problems(problems) }
        let envelope: Envelope
        switch self.envelope(rendered) {
        case .failure(let problems): return .problems(problems.diagnostics)
        case .success(let found): envelope = found
        }
        var message = self.message(rendered, envelope: envelope, unsubscribeURL: unsubscribeURL)
        var attachedTooLarge = 0
        if let attached = campaign.attachedSigners {
            switch campaign.signerFiles(attached, subject: rendered.values["Subject"]?.value ?? manifest.name) {
            case .attached(let files): message.attachments += files
            case .tooLarge(let size): attachedTooLarge = size
            case .failed(let reason):
                return .problems([CampaignDiagnostic(path: manifest.signerStore ?? manifest.signers ?? manifest.path, message: "cannot write the signers' files: \(reason)")])
            }
        }
        let warnings = envelope.warnings + Deliverability.warnings(for: message, letterPath: rendered.letter.path, htmlPath: rendered.html?.path,
                                                                   senderDomain: manifest.sender.address.domain)
        do {
            let bytes = try MessageWriter.write(message)
            if attachedTooLarge > 0 || bytes.count > manifest.maxMessageSize { return .problems([tooLarge(bytes.count + attachedTooLarge, to: envelope.to)]) }
            return .composed(ComposedMessage(number: number, key: key, slug: Self.slug(recipient.mailbox.address.description),
                                             message: message, bytes: bytes, recipientsPath: manifest.recipients,
                                             recipientLine: recipient.line, warnings: warnings))
        } catch {
            return .problems([CampaignDiagnostic(path: rendered.letter.path, message: error.description)])
        }
    }

    /// Problems that keep a message from being composed.
    struct Problems: Error {
        let diagnostics: [CampaignDiagnostic]
    }

    /// Renders the headers, text and HTML in the recipient's language; a header that
    /// would break the message's header section, or a missing unsubscribe link, is a problem.
    private func render(unsubscribeURL: String?) -> Result<Rendered, Problems> {
        let (letter, html, data) = campaign.letter(for: recipient.fields["language"])
        let frames = self.frames(data: data, unsubscribeURL: unsubscribeURL)
        let pickKeys = self.pickKeys
        var problems: [CampaignDiagnostic] = []
        var values: [String: (value: String, header: LetterTemplate.HeaderTemplate)] = [:]
        for header in letter.headers {
            var buffer: [UInt8] = []
            do {
                try header.template.render(frames: frames, pickKeys: pickKeys, into: &buffer)
            } catch {
                problems += error.diagnostics.map(CampaignDiagnostic.init)
                continue
            }
            let value = String(decoding: buffer, as: UTF8.self).trimmingSpaces
            if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
                problems += injection(header)
                continue
            }
            values[header.name] = (value, header)
        }
        var text = ""
        do { text = try letter.body.render(frames: frames, pickKeys: pickKeys) } catch { problems += error.diagnostics.map(CampaignDiagnostic.init) }
        var htmlText: String? = nil
        if let html {
            do { htmlText = try html.render(frames: frames, pickKeys: pickKeys) } catch { problems += error.diagnostics.map(CampaignDiagnostic.init) }
        }
        if let unsubscribeURL {
            // RFC 8058 asks for the link in the headers; the Gmail/Yahoo rules and the
            // law in many places ask for a visible one in the letter too.
            if !text.contains(unsubscribeURL) {
                problems.append(CampaignDiagnostic(path: letter.path, message: "the campaign has \"unsubscribe\" but the letter shows no unsubscribe link; add a line such as \"To stop receiving these emails: {{unsubscribe_url}}\""))
            }
            if let htmlText, !htmlText.contains(unsubscribeURL.replacingOccurrences(of: "&", with: "&amp;")) {
                problems.append(CampaignDiagnostic(path: html?.path ?? letter.path, message: "the campaign has \"unsubscribe\" but the HTML letter shows no unsubscribe link; add <a href=\"{{unsubscribe_url}}\">Unsubscribe</a>"))
            }
        }
        guard problems.isEmpty else { return .failure(Problems(diagnostics: problems)) }
        return .success(Rendered(letter: letter, html: html, values: values, text: text, htmlText: htmlText))
    }

    /// Control characters come from the data (JSON and .txt files are checked as they
    /// load): only a row holding one has its letter scanned, to see whether it lands there.
    private func controlCharacterProblems(_ rendered: Rendered) -> [CampaignDiagnostic]? {
        let rowHoldsControls = recipient.fields.values.contains(where: ControlCharacter.occurs)
            || (manifest.mode == .eachSigner && signer?.fields.values.contains(where: ControlCharacter.occurs) == true)
            || (manifest.mode == .joint && campaign.signersHoldControls)
        guard rowHoldsControls else { return nil }
        guard rendered.values.values.contains(where: { ControlCharacter.occurs(in: $0.value) }) || ControlCharacter.occurs(in: rendered.text)
            || rendered.htmlText.map(ControlCharacter.occurs) == true else { return nil }
        return controlCharacters(letterPath: rendered.letter.path)
    }

    /// The addresses: the headers the letter writes, else the recipient; From the
    /// campaign's (a letter-page signer's name "via" it), Reply-To as the signer chose.
    private func envelope(_ rendered: Rendered) -> Result<Envelope, Problems> {
        let values = rendered.values
        var problems: [CampaignDiagnostic] = []
        func addresses(_ name: String) -> [Mailbox]? {
            guard let (value, header) = values[name] else { return [] }
            do {
                return try Mailbox.parseList(value, allowUTF8: manifest.smtputf8)
            } catch {
                problems.append(addressProblem(error, header: header))
                return nil
            }
        }
        var envelope = Envelope(from: manifest.sender, to: addresses("To") ?? [], cc: addresses("Cc") ?? [], bcc: addresses("Bcc") ?? [],
                                replyTo: addresses("Reply-To") ?? [], warnings: [])
        if values["To"] == nil { envelope.to = [recipient.mailbox] }
        if let fromList = addresses("From"), let (_, header) = values["From"] {
            if fromList.count != 1 {
                problems.append(location(header, "the From header must hold exactly one address, but it has \(fromList.count)"))
            } else {
                envelope.from = fromList[0]
            }
        } else if manifest.mode == .eachSigner, let signer {
            signerFrom(signer, values: values, into: &envelope)
        }
        if envelope.from.address.domain.lowercased() != manifest.sender.address.domain.lowercased() {
            let place = values["From"].map { location($0.header, "", severity: .warning) }
            envelope.warnings.append(CampaignDiagnostic(.warning, path: place?.path ?? manifest.path, line: place?.line, column: place?.column,
                                                        message: "the From address \(envelope.from.address) is not in the sender's domain (\(manifest.sender.address.domain)); receivers that check DMARC may reject or junk it",
                                                        sourceLine: place?.sourceLine))
        }
        if envelope.to.isEmpty, envelope.cc.isEmpty, envelope.bcc.isEmpty {
            problems.append(CampaignDiagnostic(path: rendered.letter.path, line: values["To"]?.header.line,
                                               message: "the message has no recipient: the To header is empty"))
        }
        guard problems.isEmpty else { return .failure(Problems(diagnostics: problems)) }
        return .success(envelope)
    }

    /// A signer's letter: from the signer (`"from": "signer"`), or from the campaign
    /// in the signer's name, with replies to the signer only when they chose so.
    private func signerFrom(_ signer: Campaign.SignerRow, values: [String: (value: String, header: LetterTemplate.HeaderTemplate)], into envelope: inout Envelope) {
        if manifest.from == .signer, let own = signer.mailbox {
            envelope.from = own
            return
        }
        let name = (signer.fields["name"] ?? "").trimmingSpaces
        let via = name.isEmpty ? manifest.sender.displayName : "\(name) via \(manifest.sender.displayName)"
        if let display = try? Mailbox(displayName: via, address: manifest.sender.address) { envelope.from = display }
        // The supporter's address goes to the recipient only when they chose so
        // (page.reply_to_signer); otherwise replies come to the campaign.
        if values["Reply-To"] == nil {
            if signer.allowsReply, let own = signer.mailbox { envelope.replyTo = [own] } else { envelope.replyTo = [manifest.sender] }
        }
    }

    /// The message itself, before the signers' files are attached.
    private func message(_ rendered: Rendered, envelope: Envelope, unsubscribeURL: String?) -> Message {
        let values = rendered.values
        var envelopeFrom = manifest.bounce
        if manifest.verp, let tokens = campaign.tokens { envelopeFrom = tokens.verpAddress(manifest.bounce, key: key) }
        var message = Message(from: envelope.from, to: envelope.to, subject: values["Subject"]?.value ?? "", date: date,
                              messageID: Message.messageID(campaign: manifest.name, key: key, domain: manifest.sender.address.domain),
                              text: rendered.text, envelopeFrom: envelopeFrom)
        message.cc = envelope.cc
        message.bcc = envelope.bcc
        message.replyTo = envelope.replyTo
        message.html = rendered.htmlText
        message.attachments = campaign.attachments
        message.extraHeaders = rendered.letter.headers.filter { $0.name.lowercased().hasPrefix("x-") }.compactMap { header in
            values[header.name].map { Message.Header(name: header.name, value: $0.value) }
        }
        if let unsubscribeURL {
            // RFC 2369 and RFC 8058: one-click unsubscribe by POST to the https link.
            message.listUnsubscribe = [unsubscribeURL]
            if let mailto = manifest.unsubscribe?.mailto { message.listUnsubscribe.append("mailto:\(mailto)?subject=unsubscribe") }
        }
        return message
    }

    /// A message larger than the campaign may send: most mail servers would refuse it
    /// (or bounce it hours later), so it is an error before anything connects.
    private func tooLarge(_ size: Int, to: [Mailbox]) -> CampaignDiagnostic {
        let whom = to.first.map { " to \($0.address)" } ?? ""
        let why: String
        if manifest.mode == .joint, campaign.attachedSigners != nil {
            why = "the list of its \(campaign.signerCount) signers (signers.csv and signers.html) makes it that long; deliver the list another way — `megaphone signatures \(DisplayPath.make(manifest.path)) --csv` writes it to a file to hand over, print or link to — and send the letter with the count alone (\"signers_as\": \"body\" with a template that prints {{signer_count}} and no list), "
        } else if manifest.mode == .joint, campaign.signerCount > 1 {
            why = "its \(campaign.signerCount) signers listed in the body make it that long; give \"signers_as\": \"attachment\" to say how many signed and attach the list as files, "
        } else {
            why = "make the letter or its attachments smaller, "
        }
        return CampaignDiagnostic(path: manifest.path, message: "message \(number)\(whom) would be \(ByteSize.describe(size)), over the campaign's max_message_size of \(ByteSize.describe(manifest.maxMessageSize)): mail servers commonly refuse more than 10–35 MB (Gmail 25 MB); \(why)or raise \"max_message_size\" if the recipient's server takes larger mail")
    }

    private func location(_ header: LetterTemplate.HeaderTemplate, _ message: String,
                          severity: CampaignDiagnostic.Severity = .error) -> CampaignDiagnostic {
        CampaignDiagnostic(severity, path: header.template.path, line: header.line, column: header.name.count + 3,
                           message: message, sourceLine: header.template.sourceLine(header.line))
    }

    /// The rows' fields that a header names and that hold the offending text.
    private func fields(in header: LetterTemplate.HeaderTemplate, where matches: (String) -> Bool) -> [CampaignDiagnostic.Place] {
        let names = header.template.referencedNames
        var places: [CampaignDiagnostic.Place] = []
        for (column, value) in recipient.fields.sorted(by: { $0.key < $1.key }) where names.contains("recipient.\(column)") && matches(value) {
            places.append(.init(path: manifest.recipients, line: recipient.line, column: column))
        }
        if let signer, let path = manifest.signers {
            for (column, value) in signer.fields.sorted(by: { $0.key < $1.key }) where names.contains("signer.\(column)") && matches(value) {
                places.append(.init(path: path, line: signer.line, column: column))
            }
        }
        return places
    }

    /// A header value that would hold a line break: name the row and column it came from.
    private func injection(_ header: LetterTemplate.HeaderTemplate) -> [CampaignDiagnostic] {
        let breaks: (String) -> Bool = { $0.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" } }
        let places = fields(in: header, where: breaks)
        guard !places.isEmpty else {
            return [location(header, "the \(header.name) header would contain a line break or NUL character from the data its tags name; a header holds one line: remove it from the data")]
        }
        return places.map { place in
            CampaignDiagnostic(path: place.path, line: place.line, columnName: place.column,
                               message: "this value has a line break or NUL character and would land in the \(header.name) header, where it could inject headers; remove it")
        }
    }

    /// A control character reached the letter: name each row and column holding one,
    /// or the letter itself when no row does (JSON and .txt data are checked as they load).
    private func controlCharacters(letterPath: String) -> [CampaignDiagnostic] {
        var places: [(CampaignDiagnostic.Place, Unicode.Scalar)] = []
        func scan(_ fields: [String: String], path: String, line: Int) {
            for (column, value) in fields.sorted(by: { $0.key < $1.key }) {
                var value = value
                if let (scalar, _) = value.withUTF8({ ControlCharacter.first(in: $0) }) {
                    places.append((.init(path: path, line: line, column: column), scalar))
                }
            }
        }
        scan(recipient.fields, path: manifest.recipients, line: recipient.line)
        let signerPath = manifest.signers ?? manifest.signerStore ?? manifest.path
        switch manifest.mode {
        case .eachRecipient: break
        case .eachSigner: if let signer { scan(signer.fields, path: signerPath, line: signer.line) }
        case .joint: for signer in campaign.signers { scan(signer.fields, path: signerPath, line: signer.line) }
        }
        guard !places.isEmpty else {
            return [CampaignDiagnostic(path: letterPath, message: "the letter holds a control character other than tab and line breaks; \(ControlCharacter.advice)")]
        }
        return places.map { place, scalar in
            CampaignDiagnostic(path: place.path, line: place.line, columnName: place.column,
                               message: "this value holds the control character \(ControlCharacter.name(scalar)) and would land in the letter; \(ControlCharacter.advice)")
        }
    }

    private func addressProblem(_ error: AddressError, header: LetterTemplate.HeaderTemplate) -> CampaignDiagnostic {
        let places = fields(in: header) { $0.trimmingCharacters(in: .whitespaces) == error.text.trimmingCharacters(in: .whitespaces) }
        if let place = places.first {
            return CampaignDiagnostic(path: place.path, line: place.line, columnName: place.column, message: "\(error) (in the \(header.name) header)")
        }
        return location(header, "in the \(header.name) header, \(error)")
    }

    /// A file-name-safe form of an address: `ambassador-embassy-example-org`.
    static func slug(_ text: String) -> String {
        // ASCII letters and digits, lower-cased; every other run becomes one '-'.
        var result: [UInt8] = []
        result.reserveCapacity(min(text.utf8.count, 64))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): result.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): result.append(byte + 32)
            default: if result.last != UInt8(ascii: "-") { result.append(UInt8(ascii: "-")) }
            }
        }
        while result.last == UInt8(ascii: "-") { result.removeLast() }
        return String(decoding: result.prefix(60), as: UTF8.self)
    }
}

extension CampaignDiagnostic {
    /// A row and column of a data file.
    struct Place {
        let path: String
        let line: Int
        let column: String
    }
}
