import Foundation
import Hummingbird
import Logging
import MegaphoneCampaign
import MegaphoneMail
import MegaphoneSignatures
import MegaphoneValue
import MegaphoneSuppression
import MegaphoneTokens

/// The links in signers' and supporters' mail: confirming a signature (or a letter),
/// withdrawing it, and unsubscribing. A GET shows one button; only its POST acts, so a
/// mail scanner following links confirms, withdraws and unsubscribes nobody.
struct TokenController: Sendable {
    let site: Site

    func addRoutes(to routes: inout RouteTable) {
        routes.get("/\(ServerPaths.confirm)/:token") { _, context in try await confirmPage(context) }
        routes.post("/\(ServerPaths.confirm)/:token") { request, context in try await confirm(request, context) }
        routes.get("/\(ServerPaths.withdraw)/:token") { _, context in try await withdrawPage(context) }
        routes.post("/\(ServerPaths.withdraw)/:token") { request, context in try await withdraw(request, context) }
        routes.get("/\(ServerPaths.unsubscribe)/:token") { _, context in try unsubscribePage(context) }
        routes.post("/\(ServerPaths.unsubscribe)/:token") { request, context in try await unsubscribe(request, context) }
    }

    // MARK: Confirming and withdrawing

    /// The campaign, signature and token expiry a token belongs to, in whichever store holds it.
    func find(_ token: Token, purpose: String) async throws -> (WebCampaign, Signature, Date?)? {
        var seen: Set<String> = []
        for name in site.order {
            guard let campaign = site.campaigns[name], seen.insert(campaign.store.path).inserted else { continue }
            if let (signature, expires) = try await campaign.store.signature(token: token, purpose: purpose),
               let owner = site.campaigns[signature.campaign] {
                return (owner, signature, expires)
            }
        }
        return nil
    }

    func token(_ context: WebRequestContext, purpose: String) async throws -> (Token, WebCampaign, Signature, Date?) {
        let pages = site.defaultPages
        guard let text = context.parameters.get("token"), let token = Token(text), let (campaign, signature, expires) = try await find(token, purpose: purpose),
              signature.state != .withdrawn || purpose == "withdraw" else {
            throw PageFailure(.notFound, heading: pages?.text("unknown_heading") ?? "", pages?.text("unknown_text") ?? "")
        }
        return (token, campaign, signature, expires)
    }

    func confirmPage(_ context: WebRequestContext) async throws -> Response {
        let (token, campaign, signature, expires) = try await token(context, purpose: "confirm")
        let pages = campaign.pages
        if signature.verifiedAt != nil { return HTML.response(thanks(campaign)) }
        if await campaign.isClosed() { throw PageFailure(.forbidden, heading: pages.text("closed_heading"), campaign.text("closed")) }
        if let expires, expires < Date() {
            throw PageFailure(.gone, heading: pages.text("expired_heading"), pages.text("expired_text"), back: "/\(campaign.name)")
        }
        var letters: [Value] = []
        if campaign.isLetterPage {
            for outcome in campaign.campaign.letters(from: signature.fields, targets: signature.targets) {
                guard case .composed(let letter) = outcome else { continue }
                func shown(_ list: [Mailbox]) -> String {
                    list.map { $0.displayName.isEmpty ? $0.address.description : "\($0.displayName) <\($0.address)>" }.joined(separator: ", ")
                }
                var item: Object = ["to": .string(shown(letter.message.to)), "from": .string(shown([letter.message.from])),
                                    "subject": .string(letter.message.subject),
                                    "paragraphs": .array(LetterPreview.paragraphs(letter.message.text).map { .string($0.joined(separator: "\n")) })]
                if !letter.message.replyTo.isEmpty { item["reply_to"] = .string(shown(letter.message.replyTo)) }
                letters.append(.object(item))
            }
        }
        let context: Object = [
            "heading": .string(campaign.text("confirm_heading")),
            "intro": .string(campaign.text("confirm_intro")),
            "letters": .array(letters), "has_letters": .bool(!letters.isEmpty),
            "action": .string("/\(ServerPaths.confirm)/\(token)"),
            "csrf": .string(site.csrf.issue("confirm")),
            "button": .string(campaign.text("confirm_button")),
        ]
        return HTML.response(pages.page("confirm", title: campaign.page.title, context: context, footer: campaign.footerText), privateToken: true)
    }

    func thanks(_ campaign: WebCampaign) -> String {
        let pages = campaign.pages
        return pages.message(title: campaign.page.title, heading: pages.text("thanks_heading"),
                             paragraphs: [campaign.text("thanks_text")], back: "/\(campaign.name)", footer: campaign.footerText)
    }

    func confirm(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let (token, campaign, _, _) = try await token(context, purpose: "confirm")
        let pages = campaign.pages
        let form = try await FormDecoder.form(request, context, pages: pages)
        try site.redeem(form["csrf"], purpose: "confirm", pages: pages)
        if await campaign.isClosed() { throw PageFailure(.forbidden, heading: pages.text("closed_heading"), campaign.text("closed")) }
        switch try await campaign.store.confirm(token) {
        case .confirmed, .alreadyConfirmed:
            site.poke(campaign.name)
            return HTML.response(thanks(campaign), privateToken: true)
        case .expired:
            throw PageFailure(.gone, heading: pages.text("expired_heading"), pages.text("expired_text"), back: "/\(campaign.name)")
        case .unknown:
            throw PageFailure(.notFound, heading: pages.text("unknown_heading"), pages.text("unknown_text"))
        }
    }

    func withdrawPage(_ context: WebRequestContext) async throws -> Response {
        let (token, campaign, signature, _) = try await token(context, purpose: "withdraw")
        let pages = campaign.pages
        if signature.state == .withdrawn {
            return HTML.response(pages.message(title: campaign.page.title, heading: campaign.text("withdrawn_heading"), paragraphs: [campaign.text("withdrawn_text")]))
        }
        let context: Object = [
            "heading": .string(campaign.text("withdraw_heading")), "intro": .string(campaign.text("withdraw_intro")),
            "letters": .array([]), "has_letters": .bool(false), "action": .string("/\(ServerPaths.withdraw)/\(token)"),
            "csrf": .string(site.csrf.issue("withdraw")), "button": .string(campaign.text("withdraw_button")),
        ]
        return HTML.response(pages.page("confirm", title: campaign.page.title, context: context), privateToken: true)
    }

    func withdraw(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let (token, campaign, _, _) = try await token(context, purpose: "withdraw")
        let pages = campaign.pages
        let form = try await FormDecoder.form(request, context, pages: pages)
        try site.redeem(form["csrf"], purpose: "withdraw", pages: pages)
        _ = try await campaign.store.withdraw(token)
        return HTML.response(pages.message(title: campaign.page.title, heading: campaign.text("withdrawn_heading"), paragraphs: [campaign.text("withdrawn_text")]),
                         privateToken: true)
    }

    // MARK: Unsubscribing

    /// The campaign and address an unsubscribe token was made for; a page saying the
    /// link is not valid otherwise (nothing about any address is shown either way).
    func unsubscriber(_ context: WebRequestContext) throws -> (Campaign, String) {
        if let token = context.parameters.get("token") {
            for campaign in site.unsubscribing {
                if let address = campaign.tokens?.address(fromUnsubscribeToken: token) { return (campaign, address) }
            }
        }
        throw PageFailure(.notFound, heading: site.plainPages.text("unsubscribe_invalid_heading"), site.plainPages.text("unsubscribe_invalid"))
    }

    /// GET /u/TOKEN: one button that posts (a mail scanner following the link unsubscribes nobody).
    func unsubscribePage(_ context: WebRequestContext) throws -> Response {
        let (campaign, address) = try unsubscriber(context)
        let pages = site.plainPages
        if currentlySuppressed(campaign, address) {
            return HTML.response(pages.message(title: campaign.manifest.name, heading: pages.text("unsubscribed_heading"),
                                           paragraphs: [pages.text("unsubscribed_text", campaign.manifest.sender.displayName)],
                                           footer: pages.text("unsubscribe_footer")), privateToken: true)
        }
        let contextValues: Object = [
            "heading": .string(pages.text("unsubscribe_heading")),
            "intro": .string(pages.text("unsubscribe_intro", campaign.manifest.sender.displayName)),
            "has_letters": .bool(false),
            "action": .string("/\(ServerPaths.unsubscribe)/\(context.parameters.get("token") ?? "")"),
            "csrf": .string(site.csrf.issue("unsubscribe")),
            "one_click": .bool(true),
            "button": .string(pages.text("unsubscribe_button")),
        ]
        return HTML.response(pages.page("confirm", title: campaign.manifest.name, context: contextValues, footer: pages.text("unsubscribe_footer")),
                         privateToken: true)
    }

    /// POST /u/TOKEN: RFC 8058 one-click (`List-Unsubscribe=One-Click`, no cookie, no
    /// confirmation), or the page's button. The address is on the suppression list,
    /// synced to disk, before the answer is sent.
    func unsubscribe(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let (campaign, address) = try unsubscriber(context)
        let pages = site.plainPages
        let form = try await FormDecoder.form(request, context, pages: pages)
        let oneClick = form["List-Unsubscribe"] == "One-Click"
        if !oneClick { try site.redeem(form["csrf"], purpose: "unsubscribe", pages: pages) }
        let day = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        do {
            try SuppressionList.add([(address, "unsubscribed \(day) (\(oneClick ? "one-click" : "unsubscribe page"))")],
                                    to: SuppressionList.path(forCampaign: campaign.manifest.path))
        } catch {
            site.logger.error("unsubscribe: \(error)")
            throw PageFailure(.serviceUnavailable, heading: pages.text("error_heading"), pages.text("unsubscribe_failed"))
        }
        return HTML.response(pages.message(title: campaign.manifest.name, heading: pages.text("unsubscribed_heading"),
                                       paragraphs: [pages.text("unsubscribed_text", campaign.manifest.sender.displayName)],
                                           footer: pages.text("unsubscribe_footer")), privateToken: true)
    }

    /// Whether the list on disk (which this server and `bounces` add to) holds the address now.
    private func currentlySuppressed(_ campaign: Campaign, _ address: String) -> Bool {
        (try? SuppressionList(path: SuppressionList.path(forCampaign: campaign.manifest.path)))?.reason(for: address) != nil
    }
}
