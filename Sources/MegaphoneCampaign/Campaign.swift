public import Foundation
import MegaphoneData
import MegaphoneMail
import MegaphoneSignatures
public import MegaphoneTemplate
public import MegaphoneValue
public import MegaphoneTokens
public import MegaphoneSuppression

/// An opened campaign: its manifest, compiled templates (with language variants),
/// shared data, signers and attachments, ready to compose messages one at a time.
public final class Campaign: Sendable {
    public let manifest: CampaignManifest
    /// Letters by language; "" is the default template.
    let letters: [String: LetterTemplate]
    let defaultLetter: LetterTemplate
    /// HTML twins by language; "" is the default.
    let htmls: [String: Template]
    /// The shared bottom frame of every message's context: data files, `campaign`, `sender`.
    let data: Value
    /// The same for letters in a language with its own versions of data files (`demands.ru.txt`).
    let dataByLanguage: [String: Value]
    /// Which data file gives each top-level name, and its language versions.
    let dataSources: [String: CampaignData.Source]
    let signers: [SignerRow]
    /// A joint letter's signers when they go as files (`signers_as`); nil when the letter lists them.
    public let attachedSigners: AttachedSigners?
    /// How many sign a joint letter (or write in each-signer mode), listed or attached.
    public var signerCount: Int { attachedSigners?.count ?? signers.count }
    /// Where a joint letter's signers come from (`signer_places`): the places most named, most first.
    let signerPlaces: [(place: String, count: Int)]
    /// Whether any signer's field holds a control character (joint letters list them all).
    let signersHoldControls: Bool
    let attachments: [Attachment]
    /// The Date header of every message composed.
    public let date: Date
    /// Problems that do not stop the campaign, found while opening it.
    public let warnings: [CampaignDiagnostic]
    /// Column names of the recipients file.
    let recipientColumns: [String]
    /// The page's own confirmation email (`page.confirmation`), compiled as a letter template.
    let confirmation: LetterTemplate?
    /// Bounce (VERP) and unsubscribe tokens, when the campaign uses either.
    public let tokens: CampaignTokens?
    /// The addresses this campaign no longer writes to (`NAME.suppressed.txt`).
    public let suppression: SuppressionList
    /// Signatures in the store not yet counted: waiting for confirmation or quarantined.
    let waitingSigners: Int

    struct SignerRow: Sendable {
        let line: Int
        let fields: [String: String]
        let mailbox: Mailbox?
        let key: String
        /// The recipients (comparison keys, lower-cased) a letter-page signer chose; empty: all.
        var targets: Set<String> = []
        /// Whether the signer's letters may carry their address as Reply-To (each-signer mode).
        var allowsReply = true
        var value: Value { .object(Object(strings: fields)) }

        func writes(to recipient: Mailbox) -> Bool {
            targets.isEmpty || targets.contains(recipient.address.key)
        }
    }

    private init(manifest: CampaignManifest, letters: [String: LetterTemplate], defaultLetter: LetterTemplate, htmls: [String: Template], data: Value,
                 dataByLanguage: [String: Value], dataSources: [String: CampaignData.Source], signers: [SignerRow], attachedSigners: AttachedSigners?, attachments: [Attachment], date: Date, warnings: [CampaignDiagnostic], recipientColumns: [String],
                 confirmation: LetterTemplate?, tokens: CampaignTokens?, suppression: SuppressionList, waitingSigners: Int) {
        self.waitingSigners = waitingSigners
        self.manifest = manifest
        self.letters = letters
        self.defaultLetter = defaultLetter
        self.htmls = htmls
        self.data = data
        self.dataByLanguage = dataByLanguage
        self.dataSources = dataSources
        self.signers = signers
        self.attachedSigners = attachedSigners
        signerPlaces = manifest.mode != .joint ? [] : attachedSigners?.places
            ?? AttachedSigners.places(of: signers, field: AttachedSigners.placeField(manifest, rows: signers))
        signersHoldControls = signers.contains { $0.fields.values.contains(where: ControlCharacter.occurs) }
        self.attachments = attachments
        self.date = date
        self.warnings = warnings
        self.recipientColumns = recipientColumns
        self.confirmation = confirmation
        self.tokens = tokens
        self.suppression = suppression
    }

    /// Whether opening a campaign reads its signers.
    public enum SignerReading: Sendable {
        /// Every signer, from the CSV file or the store's confirmed signatures (check, render, send).
        case all
        /// None: a server fills the store, and its pages read counts, never the list
        /// (opening a petition of a million signatures costs no more than an empty one).
        case none
    }

    /// Opens the campaign file at `path`. Returns nil with the errors when it cannot
    /// be used; warnings come back either way.
    public static func open(_ path: String, date: Date = Date(), signers reading: SignerReading = .all) -> (Campaign?, [CampaignDiagnostic]) {
        let (loaded, manifestProblems) = CampaignManifest.load(path)
        guard let manifest = loaded else { return (nil, manifestProblems) }
        var problems = manifestProblems

        let (letters, letterProblems) = loadVariants(of: manifest.template, html: false, locale: manifest.locale)
        problems += letterProblems
        var htmls: [String: Template] = [:]
        if let html = manifest.html {
            let (loadedHTML, htmlProblems) = loadVariants(of: html, html: true, locale: manifest.locale)
            problems += htmlProblems
            htmls = loadedHTML.compactMapValues { $0.body }
        }
        let confirmation = loadConfirmation(manifest, problems: &problems)

        let languages = Set(letters.keys).union(htmls.keys).subtracting([""])
        let (loadedData, dataProblems) = CampaignData.load(manifest.data, languages: languages)
        problems += dataProblems
        let own: Value = .object([
            "campaign": .object(["name": .string(manifest.name)]),
            "sender": .object(["name": .string(manifest.sender.displayName), "address": .string(manifest.sender.address.description)]),
        ])
        let data = loadedData.base.merging(own)
        let dataByLanguage = loadedData.byLanguage.mapValues { $0.merging(own) }

        let recipientColumns = loadRecipientColumns(manifest, problems: &problems)

        let (signers, waitingSigners, attachedSigners) = loadSignerSource(manifest, reading: reading, problems: &problems)

        let attachments = loadAttachments(manifest, problems: &problems)
        let tokens = loadTokens(manifest, problems: &problems)
        let suppression = loadSuppression(manifest, problems: &problems)

        let warnings = problems.filter { $0.severity == .warning }
        guard problems.allSatisfy({ $0.severity == .warning }), let defaultLetter = letters[""] else { return (nil, problems) }
        let campaign = Campaign(manifest: manifest, letters: letters, defaultLetter: defaultLetter, htmls: htmls, data: data,
                                dataByLanguage: dataByLanguage, dataSources: loadedData.sources, signers: signers, attachedSigners: attachedSigners,
                                attachments: attachments, date: date, warnings: warnings, recipientColumns: recipientColumns,
                                confirmation: confirmation, tokens: tokens, suppression: suppression, waitingSigners: waitingSigners)
        // A letter that would list attached signers in its body (or count them with | count) would list nobody.
        let listing = reading == .none ? [] : campaign.signerListingProblems()
        guard listing.allSatisfy({ $0.severity == .warning }) else { return (nil, problems + listing) }
        return (campaign, warnings + listing)
    }

    /// `page.confirmation`, read like any letter template, so `check` reports its problems with line and column.
    private static func loadConfirmation(_ manifest: CampaignManifest, problems: inout [CampaignDiagnostic]) -> LetterTemplate? {
        guard let file = manifest.page?.confirmation else { return nil }
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent().path
        let (loaded, found) = LetterTemplate.load(
            path: file, options: Template.Options(escaping: .none, strict: false, locale: manifest.locale),
            partials: PartialDirectory(directories: [folder], templateExtension: URL(fileURLWithPath: file).pathExtension))
        problems += found
        return loaded
    }

    /// The recipients file's columns: it needs an `email` one, and each must be reachable by a tag.
    private static func loadRecipientColumns(_ manifest: CampaignManifest, problems: inout [CampaignDiagnostic]) -> [String] {
        do {
            let reader = try CSVReader(path: manifest.recipients)
            if !reader.header.contains("email") {
                problems.append(CampaignDiagnostic(path: manifest.recipients, line: 1, message: "the recipients file has no 'email' column; add one holding each recipient's address"))
            }
            for column in reader.unreachableColumns {
                problems.append(CampaignDiagnostic(.warning, path: manifest.recipients, line: 1, columnName: column,
                                                   message: "no tag can reach this column's name ({{recipient.\(column)}} would not work); rename it with letters, digits, '-' or '_'"))
            }
            return reader.header
        } catch {
            problems.append(CampaignDiagnostic(error))
            return []
        }
    }

    /// The signers, from the signature store or a CSV file, and whether they go as files.
    private static func loadSignerSource(_ manifest: CampaignManifest, reading: SignerReading,
                                         problems: inout [CampaignDiagnostic]) -> ([SignerRow], waiting: Int, AttachedSigners?) {
        // Nothing read: the server's pages count from the store.
        if reading == .none { return ([], 0, nil) }
        if let store = manifest.signerStore {
            let (rows, storeProblems, waiting, attached) = loadStoreSigners(store, manifest: manifest)
            problems += storeProblems
            return (rows, waiting, attached)
        }
        guard let signersPath = manifest.signers else { return ([], 0, nil) }
        let (rows, signerProblems) = loadSigners(signersPath, manifest: manifest)
        problems += signerProblems
        guard manifest.sendsSignersAsFiles(rows.count) else { return (rows, 0, nil) }
        let field = AttachedSigners.placeField(manifest, rows: rows)
        return (rows, 0, AttachedSigners(count: rows.count, places: AttachedSigners.places(of: rows, field: field), source: .rows(rows)))
    }

    private static func loadAttachments(_ manifest: CampaignManifest, problems: inout [CampaignDiagnostic]) -> [Attachment] {
        var attachments: [Attachment] = []
        for file in manifest.attachments {
            guard let bytes = FileManager.default.contents(atPath: file) else {
                problems.append(CampaignDiagnostic(path: file, message: "the attachment is missing or unreadable; check the path in \"attachments\"", isMissingFile: true))
                continue
            }
            let filename = URL(fileURLWithPath: file).lastPathComponent
            attachments.append(Attachment(filename: filename, contentType: Attachment.contentType(forFilename: filename), data: [UInt8](bytes)))
        }
        return attachments
    }

    /// The campaign's token key, when its mail carries VERP or unsubscribe tokens.
    private static func loadTokens(_ manifest: CampaignManifest, problems: inout [CampaignDiagnostic]) -> CampaignTokens? {
        guard manifest.verp || manifest.unsubscribe != nil else { return nil }
        do {
            return CampaignTokens(secret: try CampaignSecret.loadOrCreate(CampaignSecret.path(forCampaign: manifest.path)))
        } catch {
            problems.append(CampaignDiagnostic(path: error.path, message: "the campaign secret \(error.reason)"))
            return nil
        }
    }

    private static func loadSuppression(_ manifest: CampaignManifest, problems: inout [CampaignDiagnostic]) -> SuppressionList {
        do {
            return try SuppressionList(path: SuppressionList.path(forCampaign: manifest.path))
        } catch {
            problems.append(CampaignDiagnostic(path: error.path, line: error.line, message: "the suppression list \(error.reason)"))
            return .empty
        }
    }

    /// The template and its language variants: `letter.txt`, `letter.ru.txt`, `letter.kk.txt`…
    private static func loadVariants(of path: String, html: Bool, locale: String) -> ([String: LetterTemplate], [CampaignDiagnostic]) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let ext = url.pathExtension
        let base = url.deletingPathExtension().lastPathComponent
        let partials = PartialDirectory(directories: [folder], templateExtension: ext)
        var found: [String: String] = ["": path]
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        for file in files where file.hasPrefix(base + ".") && file.hasSuffix("." + ext) {
            let middle = file.dropFirst(base.count + 1).dropLast(ext.count + 1)
            guard (2...8).contains(middle.count), middle.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "-") }) else { continue }
            found[middle.lowercased()] = DisplayPath.resolve(file, in: folder.isEmpty ? "." : folder)
        }
        var result: [String: LetterTemplate] = [:]
        var problems: [CampaignDiagnostic] = []
        for (language, file) in found.sorted(by: { $0.key < $1.key }) {
            let options = Template.Options(escaping: html ? .html : .none, strict: true, locale: language.isEmpty ? locale : language)
            if html {
                do {
                    guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                        problems.append(CampaignDiagnostic(path: file, message: "the HTML template is missing, unreadable or not UTF-8", isMissingFile: true))
                        continue
                    }
                    let body = try Template(source: text, path: file, options: options, partials: partials)
                    result[language] = LetterTemplate(path: file, headers: [], body: body)
                } catch {
                    problems += error.diagnostics.map(CampaignDiagnostic.init)
                }
            } else {
                let (letter, letterProblems) = LetterTemplate.load(path: file, options: options, partials: partials)
                problems += letterProblems
                if let letter { result[language] = letter }
            }
        }
        return (result, problems)
    }

    private static func loadSigners(_ path: String, manifest: CampaignManifest) -> ([SignerRow], [CampaignDiagnostic]) {
        var problems: [CampaignDiagnostic] = []
        var rows: [SignerRow] = []
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { return ([], [CampaignDiagnostic(error)]) }
        if !reader.header.contains("name") {
            problems.append(CampaignDiagnostic(path: path, line: 1, message: "the signers file has no 'name' column; add one with each signer's name"))
        }
        let hasEmail = reader.header.contains("email")
        if manifest.from == .signer, !hasEmail {
            problems.append(CampaignDiagnostic(path: path, line: 1, message: "\"from\": \"signer\" needs an 'email' column in the signers file"))
        }
        for column in reader.unreachableColumns {
            problems.append(CampaignDiagnostic(.warning, path: path, line: 1, columnName: column,
                                               message: "no tag can reach this column's name ({{signer.\(column)}} would not work); rename it with letters, digits, '-' or '_'"))
        }
        var firstLine: [String: Int] = [:]
        while true {
            do {
                guard let record = try reader.next() else { break }
                let fields = reader.object(record)
                var mailbox: Mailbox? = nil
                if let email = fields["email"]?.trimmingSpaces, !email.isEmpty {
                    do {
                        mailbox = try Mailbox(displayName: fields["name"] ?? "", address: EmailAddress(email, allowUTF8: manifest.smtputf8))
                    } catch {
                        let column = error.text == email ? "email" : "name"
                        problems.append(CampaignDiagnostic(path: path, line: record.line, columnName: column, message: error.description))
                        continue
                    }
                } else if manifest.from == .signer {
                    problems.append(CampaignDiagnostic(path: path, line: record.line, columnName: "email", message: "the signer has no email, and \"from\": \"signer\" sends from it; fill it in"))
                    continue
                }
                // The signer's key (in their messages' keys) keeps the address as RFC 5321
                // sees it; two spellings of one person's address are one signer.
                let key = mailbox?.address.comparisonKey
                    ?? reader.header.map { (fields[$0] ?? "").trimmingSpaces.lowercased() }.joined(separator: "\u{1F}")
                let person = mailbox?.address.key ?? key
                if let first = firstLine[person] {
                    problems.append(CampaignDiagnostic(.warning, path: path, line: record.line,
                                                       message: "this signer is listed again (first on line \(first)); they are counted once"))
                    continue
                }
                firstLine[person] = record.line
                rows.append(SignerRow(line: record.line, fields: fields, mailbox: mailbox, key: key,
                                      allowsReply: allowsReply(fields, manifest: manifest)))
            } catch {
                problems.append(CampaignDiagnostic(error))
            }
        }
        return (rows, problems)
    }

    /// The confirmed signatures in the store, in the order they were confirmed, as signer rows
    /// (numbered from 1 in that order, as CSV rows are numbered by line).
    /// A joint letter whose signers go as files reads none of them here: only their
    /// count and places (the files are written from the store's cursor when first needed).
    private static func loadStoreSigners(_ path: String, manifest: CampaignManifest)
        -> ([SignerRow], [CampaignDiagnostic], waiting: Int, attached: AttachedSigners?) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], [], 0, nil) }
        let signatures: [Signature]
        var waiting = 0
        do {
            let store = try SignatureStore(path: path, create: false)
            let confirmed = try store.confirmedCount(campaign: manifest.name)
            if confirmed > 0, manifest.sendsSignersAsFiles(confirmed) {
                let field = AttachedSigners.placeField(manifest, rows: [])
                let places = try field.map { try store.confirmedPlaces(campaign: manifest.name, field: $0, limit: AttachedSigners.shownPlaces) } ?? []
                return ([], [], 0, AttachedSigners(count: confirmed, places: places, source: .store(path: path, campaign: manifest.name)))
            }
            signatures = try store.signatures(campaign: manifest.name, state: .confirmed)
            // Only the "nobody signed" error says how many wait; a campaign with signers skips the count.
            if signatures.isEmpty {
                let counts = try store.counts(campaign: manifest.name)
                waiting = (counts[.pending] ?? 0) + (counts[.quarantined] ?? 0)
            }
        } catch let error as StoreError {
            return ([], [CampaignDiagnostic(path: path, message: error.message, isMissingFile: error.code == .missing)], 0, nil)
        } catch {
            return ([], [CampaignDiagnostic(path: path, message: "cannot read the signature store: \(error)")], 0, nil)
        }
        var rows: [SignerRow] = []
        var problems: [CampaignDiagnostic] = []
        for (index, signature) in signatures.enumerated() {
            switch signerRow(signature.fields, line: index + 1, targets: signature.targets, manifest: manifest) {
            case .success(let row): rows.append(row)
            case .failure(let problem): problems.append(CampaignDiagnostic(path: path, line: index + 1, message: "signature \(index + 1): \(problem.message)"))
            }
        }
        return (rows, problems, waiting, nil)
    }

    private struct SignerProblem: Error {
        let message: String
    }

    /// A signer row from a page's fields (a store's signature, a supporter's form).
    /// Every field the form asks is there, blank when the signer left it empty (or it
    /// was added to the form later), so strict templates see the same names for all.
    private static func signerRow(_ given: [String: String], line: Int, targets: [String], manifest: CampaignManifest) -> Result<SignerRow, SignerProblem> {
        var fields = given
        for name in (manifest.page?.fields ?? ["name", "email"]) + (manifest.mode == .eachSigner ? ["message"] : []) where fields[name] == nil {
            fields[name] = ""
        }
        let email = (fields["email"] ?? "").trimmingSpaces
        do {
            let mailbox = try Mailbox(displayName: fields["name"] ?? "", address: EmailAddress(email, allowUTF8: manifest.smtputf8))
            return .success(SignerRow(line: line, fields: fields, mailbox: mailbox, key: mailbox.address.comparisonKey,
                                      targets: Set(targets.map { $0.lowercased() }), allowsReply: allowsReply(fields, manifest: manifest)))
        } catch {
            return .failure(SignerProblem(message: error.description))
        }
    }

    /// Whether a signer's letters may carry their address as Reply-To: the page's
    /// `reply_to_signer`, and with "ask" the supporter's own choice (ticked on the page,
    /// or "yes" in a signers file's `reply_to` column). A signers file without that
    /// column is the organiser's list: its signers' letters carry their address.
    static func allowsReply(_ fields: [String: String], manifest: CampaignManifest) -> Bool {
        let chose = fields[PageSettings.replyChoiceField].map { ["yes", "true", "1", "on"].contains($0.trimmingSpaces.lowercased()) }
        switch manifest.page?.replyToSigner {
        case .always?: return true
        case .never?: return false
        // A store's signer who was never asked (no choice kept) is not written for.
        case .ask?: return chose ?? (manifest.signerStore == nil)
        case nil: return chose ?? true
        }
    }

    /// The signers' files for every message, made on first use: the name, then the
    /// fields the letter prints of its signers (what the page says leaves the site).
    /// The files' heading is the page's title, or else the Subject of the first letter.
    func signerFiles(_ attached: AttachedSigners, subject: String) -> AttachedSigners.Files {
        let printed = printedSignerFields
        let order = manifest.page?.fields ?? (PageSettings.knownFields + printed.sorted().filter { $0.first?.isLetter == true })
        var columns = ["name"]
        for field in order where printed.contains(field) && field != "email" && !columns.contains(field) { columns.append(field) }
        return attached.files(columns: columns, title: manifest.page?.title ?? subject, language: manifest.locale, limit: manifest.maxMessageSize)
    }

    /// The page's own confirmation email (`page.confirmation`): its Subject and body
    /// templates; nil when the campaign uses the built-in one.
    public var confirmationTemplates: (subject: Template, body: Template)? {
        guard let confirmation, let subject = confirmation.header("Subject") else { return nil }
        return (subject.template, confirmation.body)
    }

    /// The shared data every message and page sees: data files, `campaign`, `sender`.
    public var sharedData: Value { data }

    /// The recipients file's rows, in order, as column → value (for a letter page's choice of target).
    public func recipientRows() throws(CampaignFailure) -> [[String: String]] {
        do {
            let reader = try CSVReader(path: manifest.recipients)
            var rows: [[String: String]] = []
            while let record = try reader.next() { rows.append(reader.object(record)) }
            return rows
        } catch {
            throw CampaignFailure(diagnostics: [CampaignDiagnostic(error)])
        }
    }

    /// The letters one supporter sends (each-signer mode): one to each recipient whose
    /// address is in `targets` (all recipients when `targets` is empty), with the same
    /// keys and bytes that `send` produces for that signer; rows `check` would refuse
    /// come back as problems.
    /// - Parameter date: the letters' Date: the moment they are composed to be sent.
    public func letters(from fields: [String: String], targets: [String], date: Date = Date()) -> [MessageOutcome] {
        guard manifest.mode == .eachSigner else { return [] }
        let signer: SignerRow
        switch Self.signerRow(fields, line: 1, targets: targets, manifest: manifest) {
        case .success(let row): signer = row
        case .failure(let problem): return [.problems([CampaignDiagnostic(path: manifest.path, message: problem.message)])]
        }
        // The same stream `send` reads, with this one signer: the same rows checked the
        // same way, the same keys and bytes (numbered among this signer's letters only).
        let stream: MessageStream
        do {
            stream = MessageStream(campaign: self, reader: try CSVReader(path: manifest.recipients), limit: nil, signers: [signer], date: date)
        } catch {
            return [.problems([CampaignDiagnostic(error)])]
        }
        var outcomes: [MessageOutcome] = []
        while let outcome = stream.next() { outcomes.append(outcome) }
        return outcomes
    }

    /// Composes the campaign's messages in order, reading recipients one row at a time.
    public func messages(limit: Int? = nil) throws(CampaignFailure) -> MessageStream {
        do {
            return MessageStream(campaign: self, reader: try CSVReader(path: manifest.recipients), limit: limit)
        } catch {
            throw CampaignFailure(diagnostics: [CampaignDiagnostic(error)])
        }
    }

    /// The letter for a recipient's `language` column, its HTML twin, and the values
    /// (data files in that language where they have a version).
    func letter(for language: String?) -> (letter: LetterTemplate, html: Template?, data: Value) {
        let key = language?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if let variant = letters[key] { return (variant, htmls[key] ?? htmls[""], dataByLanguage[key] ?? data) }
        // "pt-BR" falls back to "pt" before the default.
        if let dash = key.firstIndex(of: "-"), let variant = letters[String(key[..<dash])] {
            let base = String(key[..<dash])
            return (variant, htmls[base] ?? htmls[""], dataByLanguage[base] ?? data)
        }
        return (defaultLetter, htmls[""], data)
    }
}

/// A campaign that cannot go on, with everything found wrong.
public struct CampaignFailure: Error, Sendable {
    public let diagnostics: [CampaignDiagnostic]

    public init(diagnostics: [CampaignDiagnostic]) {
        self.diagnostics = diagnostics
    }
}
