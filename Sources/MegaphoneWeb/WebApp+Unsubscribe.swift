import Foundation
import Hummingbird
import MegaphoneCampaign
import MegaphoneValue
import MegaphoneMail
import Logging

extension WebApp {
    /// The campaign and address an unsubscribe token was made for; a page saying the
    /// link is not valid otherwise (nothing about any address is shown either way).
    func unsubscriber(_ context: WebRequestContext) throws -> (Campaign, String) {
        if let token = context.parameters.get("token") {
            for campaign in unsubscribing {
                if let address = campaign.tokens?.address(fromUnsubscribeToken: token) { return (campaign, address) }
            }
        }
        throw PageFailure(.notFound, heading: plainPages.text("unsubscribe_invalid_heading"), plainPages.text("unsubscribe_invalid"))
    }

    /// GET /u/TOKEN: one button that posts (a mail scanner following the link unsubscribes nobody).
    func unsubscribePage(_ context: WebRequestContext) throws -> Response {
        let (campaign, address) = try unsubscriber(context)
        let pages = plainPages
        if currentlySuppressed(campaign, address) {
            return Self.html(pages.message(title: campaign.manifest.name, heading: pages.text("unsubscribed_heading"),
                                           paragraphs: [pages.text("unsubscribed_text", campaign.manifest.sender.displayName)],
                                           footer: pages.text("unsubscribe_footer")), privateToken: true)
        }
        let contextValues: Object = [
            "heading": .string(pages.text("unsubscribe_heading")),
            "intro": .string(pages.text("unsubscribe_intro", campaign.manifest.sender.displayName)),
            "has_letters": .bool(false),
            "action": .string("/\(ServerPaths.unsubscribe)/\(context.parameters.get("token") ?? "")"),
            "csrf": .string(csrf.issue("unsubscribe")),
            "one_click": .bool(true),
            "button": .string(pages.text("unsubscribe_button")),
        ]
        return Self.html(pages.page("confirm", title: campaign.manifest.name, context: contextValues, footer: pages.text("unsubscribe_footer")),
                         privateToken: true)
    }

    /// POST /u/TOKEN: RFC 8058 one-click (`List-Unsubscribe=One-Click`, no cookie, no
    /// confirmation), or the page's button. The address is on the suppression list,
    /// synced to disk, before the answer is sent.
    func unsubscribe(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let (campaign, address) = try unsubscriber(context)
        let pages = plainPages
        let form = try await Self.form(request, context, pages: pages)
        let oneClick = form["List-Unsubscribe"] == "One-Click"
        if !oneClick { try redeem(form["csrf"], purpose: "unsubscribe", pages: pages) }
        let day = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        do {
            try SuppressionList.add([(address, "unsubscribed \(day) (\(oneClick ? "one-click" : "unsubscribe page"))")],
                                    to: SuppressionList.path(forCampaign: campaign.manifest.path))
        } catch {
            logger.error("unsubscribe: \(error)")
            throw PageFailure(.serviceUnavailable, heading: pages.text("error_heading"), pages.text("unsubscribe_failed"))
        }
        return Self.html(pages.message(title: campaign.manifest.name, heading: pages.text("unsubscribed_heading"),
                                       paragraphs: [pages.text("unsubscribed_text", campaign.manifest.sender.displayName)],
                                           footer: pages.text("unsubscribe_footer")), privateToken: true)
    }

    /// Whether the list on disk (which this server and `bounces` add to) holds the address now.
    private func currentlySuppressed(_ campaign: Campaign, _ address: String) -> Bool {
        (try? SuppressionList(path: SuppressionList.path(forCampaign: campaign.manifest.path)))?.reason(for: address) != nil
    }
}
