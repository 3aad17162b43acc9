import Foundation
import MegaphoneCampaign
import MegaphoneMail
import MegaphoneSignatures
import MegaphoneTemplate
import MegaphoneValue

/// One campaign as the server holds it: the opened campaign, its page settings,
/// its store, the compiled appeal and pages, and (for a letter page) the targets.
final class WebCampaign: Sendable {
    let campaign: Campaign
    let page: PageSettings
    let store: SignatureStore
    let pages: PageRenderer
    /// The appeal, rendered once with the campaign's data (HTML, already escaped where it should be).
    let appealHTML: String
    let demands: [String]
    /// Letter pages: the recipients a supporter may choose, in file order.
    let targets: [Target]
    /// The targets' addresses, for checking a form's choices.
    let targetEmails: Set<String>
    let isLetterPage: Bool
    /// The recipients' names, in file order (what a petition page says it goes to).
    let recipientNames: [String]
    /// What a signature gives the recipients, read from the campaign's templates.
    let disclosure: Disclosure
    /// Texts every page view shows, made once: the form's note on what leaves the
    /// site, the footer, the reply checkbox's hint, the count's plural forms.
    let privacyText: String
    let footerText: String
    let replyHint: String
    let countForms: [(category: String, text: String)]

    struct Target: Sendable {
        let email: String
        let name: String
        let group: String
    }

    var name: String { campaign.manifest.name }

    init(campaign: Campaign, store: SignatureStore) throws {
        guard let page = campaign.manifest.page else {
            throw PageError(path: campaign.manifest.path, message: "the campaign has no \"page\"; add one to serve it (see docs/pages.md)")
        }
        self.campaign = campaign
        self.page = page
        self.store = store
        pages = try PageRenderer(language: campaign.manifest.locale, overrides: page.templates)
        if let appeal = page.appeal {
            let template: Template
            do {
                template = try Template.load(path: appeal, options: Template.Options(escaping: .html, strict: true, locale: campaign.manifest.locale))
            } catch {
                throw PageError(path: appeal, message: "\(error)")
            }
            do {
                appealHTML = try template.render(campaign.sharedData)
            } catch {
                throw PageError(path: appeal, message: "\(error)")
            }
        } else {
            appealHTML = ""
        }
        if case .object(let data) = campaign.sharedData, case .array(let items)? = data["demands"] {
            demands = items.compactMap { if case .string(let text) = $0 { text } else { nil } }
        } else {
            demands = []
        }
        isLetterPage = campaign.manifest.mode == .eachSigner
        let rows = try campaign.recipientRows()
        recipientNames = rows.compactMap { row in
            let name = (row["name"] ?? "").trimmingCharacters(in: .whitespaces)
            return name.isEmpty ? row["email"] : name
        }
        disclosure = campaign.disclosure
        if isLetterPage {
            let group = page.groupBy
            targets = rows.compactMap { row in
                guard let email = row["email"]?.trimmingCharacters(in: .whitespaces), !email.isEmpty else { return nil }
                return Target(email: EmailAddress.key(email), name: row["name"] ?? email, group: group.flatMap { row[$0] } ?? "")
            }
        } else {
            targets = []
        }
        targetEmails = Set(targets.map(\.email))
        let sender = campaign.manifest.sender.displayName.isEmpty ? campaign.manifest.sender.address.description : campaign.manifest.sender.displayName
        privacyText = Self.privacy(disclosure, recipients: recipientNames, isLetterPage: isLetterPage, sender: sender, pages: pages)
        footerText = Self.footer(disclosure, isLetterPage: isLetterPage, pages: pages)
        replyHint = pages.text("reply_hint", filling: ["campaign": sender])
        countForms = Self.countForms(isLetterPage: isLetterPage, pages: pages)
    }

    /// The form's note on what leaves the site, from the campaign's own templates:
    /// which fields the petition lists or the letter carries, and to whom.
    private static func privacy(_ disclosure: Disclosure, recipients names: [String], isLetterPage: Bool, sender: String, pages: PageRenderer) -> String {
        let fields = pages.list(disclosure.fields.map { pages.text("fieldname_\($0)") })
        guard isLetterPage else {
            let recipients = names.count <= 5 ? pages.list(names) : pages.plural("recipients_count", names.count)
            return pages.text(disclosure.fields.isEmpty ? "privacy_count_only" : "privacy", filling: ["fields": fields, "recipients": recipients])
        }
        let reply = disclosure.addressAlwaysSent ? "privacy_reply_always" : disclosure.addressOnRequest ? "privacy_reply_ask" : "privacy_reply_never"
        return pages.text("privacy_letter", filling: ["fields": fields]) + " " + pages.text(reply, filling: ["campaign": sender])
    }

    /// The pages' footer: what the supporter's email address is used for, truthfully for this campaign.
    private static func footer(_ disclosure: Disclosure, isLetterPage: Bool, pages: PageRenderer) -> String {
        guard isLetterPage else { return pages.text(disclosure.addressAlwaysSent ? "footer_address_listed" : "footer") }
        return pages.text(disclosure.addressAlwaysSent ? "footer_letter_always" : disclosure.addressOnRequest ? "footer_letter_ask" : "footer_letter_never")
    }

    /// The count label's forms by plural category, as the strings file gives them.
    private static func countForms(isLetterPage: Bool, pages: PageRenderer) -> [(category: String, text: String)] {
        guard case .object(let forms)? = pages.strings[isLetterPage ? "written_so_far" : "signed_so_far"] else { return [] }
        return PluralRules.Category.allCases.compactMap { category in
            if case .string(let text)? = forms[category.rawValue] { (category.rawValue, text) } else { nil }
        }
    }

    /// A supporter-facing string, in its letter-page wording where it has one
    /// (`confirm_heading` → `confirm_letter_heading`).
    func text(_ key: String) -> String {
        guard isLetterPage else { return pages.text(key) }
        let letterKey = key.replacingOccurrences(of: "_heading", with: "_letter_heading")
            .replacingOccurrences(of: "_text", with: "_letter_text").replacingOccurrences(of: "_intro", with: "_letter_intro")
            .replacingOccurrences(of: "_button", with: "_letter_button")
        let letterKeyPlain = key + "_letter"
        for candidate in [letterKey, letterKeyPlain] where candidate != key && pages.text(candidate) != candidate { return pages.text(candidate) }
        return pages.text(key)
    }

    /// Whether signing and confirming are refused now: the organiser's choice, else
    /// `closes`. Read off the server's event loops.
    func isClosed(now: Date = Date()) async -> Bool {
        isClosed(override: (try? await store.tally(campaign: name))?.closedOverride, now: now)
    }

    /// The same, given the organiser's choice as a tally read it.
    func isClosed(override: Bool?, now: Date = Date()) -> Bool {
        if let override { return override }
        if let closes = page.closes { return now >= closes }
        return false
    }
}
