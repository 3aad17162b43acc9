import Foundation
import Hummingbird
import MegaphoneCampaign
import MegaphoneSignatures
import MegaphoneValue
import NIOCore

/// A campaign's own page and its form: what a supporter reads, fills in, and — when
/// something needs fixing — sees again with a summary of what to fix at the top of
/// the form (the GOV.UK error-summary pattern).
struct CampaignController: Sendable {
    let site: Site
    /// Signatures per client address and campaign before quarantine.
    let limiter: IPRateLimit

    func addRoutes(to routes: inout RouteTable) {
        routes.get("/:name") { _, context in try await campaignPage(context) }
        routes.post("/:name/sign") { request, context in try await sign(request, context) }
        // The form's address, opened as a page (a bookmark, a reload after a redirect): the campaign page.
        routes.get("/:name/sign") { _, context in try signAddress(context) }
        routes.get("/:name/check-email") { _, context in try checkEmail(context) }
        routes.get("/:name/count.json") { _, context in try await count(context) }
    }

    func campaignPage(_ context: WebRequestContext) async throws -> Response {
        let campaign = try site.campaign(context)
        return HTML.response(await renderForm(campaign, form: nil))
    }

    /// `GET /NAME/sign`: the form's own address opened as a page goes to the campaign page.
    func signAddress(_ context: WebRequestContext) throws -> Response {
        let campaign = try site.campaign(context)
        return Response(status: .seeOther, headers: [.location: "/\(campaign.name)"])
    }

    /// The count shown on the page: signatures, or writers and letters on a letter page.
    func countText(_ campaign: WebCampaign, tally: Tally) -> (label: String, letters: String?) {
        let pages = campaign.pages
        guard campaign.isLetterPage else { return (pages.plural("signed_so_far", tally.confirmed), nil) }
        return (pages.plural("written_so_far", tally.confirmed), pages.plural("letters_count", tally.letters))
    }

    /// The campaign's page: appeal, demands, count, and the form (with what was typed and what to fix).
    /// The counts are one read of the store's kept counts, off the server's event loops.
    func renderForm(_ campaign: WebCampaign, form: SignatureForm?) async -> String {
        let pages = campaign.pages
        let tally = (try? await campaign.store.tally(campaign: campaign.name)) ?? .empty
        let count = tally.confirmed
        let (label, letters) = countText(campaign, tally: tally)
        var context: Object = [
            "campaign": .string(campaign.name),
            "count": .string(pages.number(count)),
            "count_label": .string(label),
            "appeal": .string(campaign.appealHTML),
            "demands": .array(campaign.demands.map(Value.string)),
            "has_demands": .bool(!campaign.demands.isEmpty),
            "closed": .bool(campaign.isClosed(override: tally.closedOverride)),
            "closed_text": .string(campaign.text("closed")),
            "csrf": .string(form?.csrf ?? site.csrf.issue("sign:\(campaign.name)")),
            "has_errors": .bool(!(form?.errors.isEmpty ?? true)),
            "privacy": .string(campaign.privacyText),
            "url": .string("\(site.settings.baseURL)/\(campaign.name)"),
            "mailto": .string(Self.mailto(subject: campaign.page.title, body: "\(campaign.page.title)\n\n\(site.settings.baseURL)/\(campaign.name)")),
        ]
        if let letters { context["letters_label"] = .string(letters) }
        // The count's words in every form the language has, for the script that
        // refreshes the count (it picks one with the browser's Intl.PluralRules).
        context["count_forms"] = .array(campaign.countForms.map { category, text in
            .object(["category": .string(category), "text": .string(text)])
        })
        if let goal = campaign.page.goal {
            context["goal"] = .string(pages.number(goal))
            context["goal_value"] = .int(goal)
            context["percent"] = .int(min(100, count * 100 / max(goal, 1)))
        }
        context["fields"] = .array(campaign.page.fields.map { .object(field($0, campaign: campaign, form: form)) })
        if campaign.isLetterPage { context["letter"] = .object(letterPart(campaign, form: form)) }
        context["errors"] = .array(errorSummary(campaign, form: form))
        return pages.page("campaign", title: campaign.page.title, context: context, script: true,
                          footer: campaign.footerText, error: !(form?.errors.isEmpty ?? true))
    }

    /// One input of the form, its hint and error tied to it with `aria-describedby`.
    private func field(_ name: String, campaign: WebCampaign, form: SignatureForm?) -> Object {
        let pages = campaign.pages
        let types = ["email": ("email", "email"), "name": ("text", "name"), "organisation": ("text", "organization"),
                     "city": ("text", "address-level2"), "country": ("text", "country-name"), "postcode": ("text", "postal-code"), "phone": ("tel", "tel")]
        var field: Object = [
            "name": .string(name), "label": .string(pages.text("field_\(name)")),
            "type": .string(types[name]?.0 ?? "text"), "autocomplete": .string(types[name]?.1 ?? "on"),
            "value": .string(form?.fields[name] ?? ""), "max": .int(SignatureForm.maxLength[name] ?? 100),
            "required": .bool(campaign.page.required.contains(name)),
        ]
        var describedBy: [String] = []
        if name == "name" {
            field["hint"] = .string(pages.text(campaign.isLetterPage ? "hint_name_letter" : "hint_name"))
            describedBy.append("h-\(name)")
        }
        if let error = form?.errors[name] {
            field["error"] = .string(error)
            describedBy.append("e-\(name)")
        }
        if !describedBy.isEmpty { field["describedby"] = .string(describedBy.joined(separator: " ")) }
        return field
    }

    /// A letter page's own part of the form: the recipients to choose, the supporter's
    /// paragraph, and (when the campaign asks) whether the recipients may reply to them.
    private func letterPart(_ campaign: WebCampaign, form: SignatureForm?) -> Object {
        let chosen = Set(form?.targets ?? [])
        var groups: [(String, [Value])] = []
        var number = 0
        for target in campaign.targets {
            number += 1
            let item: Value = .object(["email": .string(target.email), "name": .string(target.name), "checked": .bool(chosen.contains(target.email)),
                                       "id": .string(number == 1 ? "f-target" : "f-target-\(number)")])
            if let index = groups.firstIndex(where: { $0.0 == target.group }) { groups[index].1.append(item) } else { groups.append((target.group, [item])) }
        }
        var letter: Object = ["groups": .array(groups.map { .object(["label": .string($0.0), "targets": .array($0.1)]) }),
                              "message": .string(form?.message ?? "")]
        if let error = form?.errors["target"] { letter["target_error"] = .string(error) }
        if let error = form?.errors["message"] { letter["message_error"] = .string(error) }
        if campaign.page.replyToSigner == .ask {
            letter["reply_choice"] = .bool(true)
            letter["reply_field"] = .string(PageSettings.replyChoiceField)
            letter["reply_checked"] = .bool(form?.fields[PageSettings.replyChoiceField] == "yes")
            letter["reply_hint"] = .string(campaign.replyHint)
        }
        return letter
    }

    /// The error summary: each problem, in the form's order, linking to its field.
    private func errorSummary(_ campaign: WebCampaign, form: SignatureForm?) -> [Value] {
        guard let form, !form.errors.isEmpty else { return [] }
        var order: [(String, String)] = []
        if campaign.isLetterPage { order.append(("target", "f-target")) }
        order += campaign.page.fields.map { ($0, "f-\($0)") }
        if campaign.isLetterPage { order.append(("message", "f-message")) }
        return order.compactMap { name, id in
            form.errors[name].map { .object(["href": .string("#\(id)"), "text": .string($0)]) }
        }
    }

    func sign(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let campaign = try site.campaign(context)
        let pages = campaign.pages
        let form = try await FormDecoder.form(request, context, pages: pages)
        if await campaign.isClosed() {
            throw PageFailure(.forbidden, heading: pages.text("closed_heading"), campaign.text("closed"))
        }
        let purpose = "sign:\(campaign.name)"
        // Checked, not used up, until the signature is stored: a form shown again to be
        // fixed keeps its token, and reloading it shows the same answers again.
        try site.redeem(form["csrf"], purpose: purpose, pages: pages, keep: true)
        let checkEmail = Response(status: .seeOther, headers: [.location: "/\(campaign.name)/check-email"])
        // A filled honeypot is a bot: it sees success, and nothing is stored.
        if !(form["website"] ?? "").isEmpty {
            try site.redeem(form["csrf"], purpose: purpose, pages: pages)
            return checkEmail
        }
        var checked = SignatureForm(form, fieldNames: campaign.page.fields, required: campaign.page.required,
                                    recipients: campaign.isLetterPage ? campaign.targetEmails : nil,
                                    asksReply: campaign.isLetterPage && campaign.page.replyToSigner == .ask,
                                    smtputf8: campaign.campaign.manifest.smtputf8, strings: pages)
        guard checked.isValid else {
            checked.csrf = form["csrf"]
            return HTML.response(await renderForm(campaign, form: checked), status: .unprocessableContent)
        }
        try site.redeem(form["csrf"], purpose: purpose, pages: pages)
        if campaign.isLetterPage { checked.fields["message"] = checked.message }
        let now = Date()
        let signRequest = SignRequest(campaign: campaign.name, fields: checked.fields, targets: checked.targets,
                                      quarantine: !limiter.allow(campaign: campaign.name, address: context.clientIP, now: now),
                                      expires: now.addingTimeInterval(Double(campaign.page.confirmDays) * 86_400), now: now,
                                      maxNotices: max(0, site.settings.maxEmails - 1))
        guard let mail = site.mails[campaign.name] else { return checkEmail }
        // The first confirmation (by far the most common email) is composed here, in
        // parallel with other requests, not inside the store's one serial writer. Any
        // later email to the address greets it with the name it signed with first.
        let confirmation = mail.mail(for: .new, request: signRequest)
        _ = try await campaign.store.sign(signRequest) { disposition, _, kept in
            switch disposition {
            case .new: confirmation
            case .pendingAgain, .alreadySigned, .quiet: mail.mail(for: disposition, request: signRequest, kept: kept)
            }
        }
        site.poke(campaign.name)
        return checkEmail
    }

    func checkEmail(_ context: WebRequestContext) throws -> Response {
        let campaign = try site.campaign(context)
        let pages = campaign.pages
        return HTML.response(pages.message(title: campaign.page.title, heading: pages.text("check_heading"),
                                       paragraphs: [campaign.text("check_text"), pages.text("check_text2")], back: "/\(campaign.name)",
                                       footer: campaign.footerText))
    }

    func count(_ context: WebRequestContext) async throws -> Response {
        let campaign = try site.campaign(context)
        let count = try await campaign.store.tally(campaign: campaign.name).confirmed
        let goal = campaign.page.goal.map(String.init) ?? "null"
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "{\"confirmed\": \(count), \"goal\": \(goal)}\n")))
    }

    /// A mailto: link that opens a new email with the page's title and address.
    static func mailto(subject: String, body: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return "mailto:?subject=\(encode(subject))&body=\(encode(body))"
    }
}
