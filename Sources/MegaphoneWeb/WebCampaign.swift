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

    struct Target: Sendable {
        let email: String
        let name: String
        let group: String
    }

    var name: String { campaign.manifest.name }

    init(campaign: Campaign, store: SignatureStore) throws {
        guard let page = campaign.manifest.page else {
            throw PageError(path: campaign.manifest.path, message: "the campaign has no \"page\"; add one to serve it (see the README's \"Pages\" section)")
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
        if isLetterPage {
            let group = page.groupBy
            targets = try campaign.recipientRows().compactMap { row in
                guard let email = row["email"]?.trimmingCharacters(in: .whitespaces), !email.isEmpty else { return nil }
                return Target(email: email.lowercased(), name: row["name"] ?? email, group: group.flatMap { row[$0] } ?? "")
            }
        } else {
            targets = []
        }
        targetEmails = Set(targets.map(\.email))
    }

    /// Whether signing and confirming are refused now: the organiser's choice, else `closes`.
    func isClosed(now: Date = Date()) -> Bool {
        if let override = try? store.closedOverride(campaign: name) { return override }
        if let closes = page.closes { return now >= closes }
        return false
    }
}
