import Foundation
import Hummingbird
import Logging
import MegaphoneCampaign
import MegaphoneSignerMail

/// What the controllers share: the served campaigns in order, the email each sends its
/// signers and the service that delivers it (woken when something is queued), the
/// forms' tokens, the server's settings and its log.
final class Site: Sendable {
    let campaigns: [String: WebCampaign]
    let order: [String]
    let mails: [String: SignerMail]
    let mailers: [String: SignerMailService]
    let csrf = CSRFTokens()
    let settings: WebSettings
    let logger: Logger
    /// Campaigns whose mail carries one-click unsubscribe links (`/u/TOKEN`), served
    /// with or without a page.
    let unsubscribing: [Campaign]
    /// Pages for campaigns served only for their unsubscribe links.
    let plainPages: PageRenderer

    init(campaigns: [String: WebCampaign], order: [String], mails: [String: SignerMail], mailers: [String: SignerMailService],
         settings: WebSettings, logger: Logger, unsubscribing: [Campaign], plainPages: PageRenderer) {
        self.campaigns = campaigns
        self.order = order
        self.mails = mails
        self.mailers = mailers
        self.settings = settings
        self.logger = logger
        self.unsubscribing = unsubscribing
        self.plainPages = plainPages
    }

    /// The pages of answers not tied to one campaign: the first campaign's language.
    var defaultPages: PageRenderer? { order.first.flatMap { campaigns[$0]?.pages } ?? plainPages }

    /// The headers every answer carries (HSTS when the public address is https).
    var securityHeaders: SecurityHeaders { SecurityHeaders(https: settings.baseURL.lowercased().hasPrefix("https://")) }

    /// Origins that may frame each campaign's pages.
    var embedding: [String: [String]] { campaigns.mapValues(\.page.embedFrom) }

    /// Something was queued for a campaign's signers: its mail service looks now.
    func poke(_ campaign: String) { mailers[campaign]?.poke() }

    func campaign(_ context: WebRequestContext) throws -> WebCampaign {
        guard let name = context.parameters.get("name"), let campaign = campaigns[name] else {
            let pages = defaultPages ?? PageRenderer.english
            throw PageFailure(.notFound, heading: pages?.text("not_found_heading") ?? "", pages?.text("not_found_campaign") ?? "")
        }
        return campaign
    }

    /// Uses up a form's token; `keep` only checks it (a form shown again to be fixed).
    func redeem(_ token: String?, purpose: String, pages: PageRenderer, keep: Bool = false) throws {
        do {
            if keep { try csrf.verify(token, purpose: purpose) } else { try csrf.redeem(token, purpose: purpose) }
        } catch {
            let key = switch error {
            case .missing: "csrf_missing"
            case .invalid: "csrf_invalid"
            case .expired: "csrf_expired"
            case .reused: "csrf_reused"
            }
            throw PageFailure(.forbidden, heading: pages.text("error_heading"), pages.text(key))
        }
    }
}
