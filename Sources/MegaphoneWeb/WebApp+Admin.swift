import Foundation
import Hummingbird
import MegaphoneCampaign
import MegaphoneSignatures
import MegaphoneValue

/// The organiser's page: counts by state, the latest signatures, CSV export,
/// releasing quarantined signatures, closing and reopening. It needs the admin
/// token, as `Authorization: Bearer TOKEN` or through the login form, which sets an
/// HttpOnly, SameSite=Strict cookie holding a keyed hash (never the token).
extension WebApp {
    static let cookieName = "megaphone_admin"

    func isAdmin(_ request: Request) -> Bool {
        guard let adminToken else { return false }
        if let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer ") {
            return adminToken.matches(authorization.dropFirst(7))
        }
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces)
                if pair.hasPrefix(Self.cookieName + "=") {
                    return adminSessionCheck.matches(pair.dropFirst(Self.cookieName.count + 1))
                }
            }
        }
        return false
    }

    var adminPages: PageRenderer {
        guard let pages = defaultPages else { fatalError("a server always has a campaign") }
        return pages
    }

    func requireAdminEnabled() throws {
        guard adminToken != nil else {
            throw PageFailure(.notFound, heading: adminPages.text("admin_heading"),
                              "The organiser's page is off: start the server with MEGAPHONE_ADMIN_TOKEN set, or with --admin-token-file.")
        }
    }

    func adminPage(_ request: Request) throws -> Response {
        try requireAdminEnabled()
        let pages = adminPages
        guard isAdmin(request) else {
            return Self.html(pages.page("admin-login", title: pages.text("admin_heading"), context: ["csrf": .string(csrf.issue("admin-login"))]),
                             status: .unauthorized, privateToken: true)
        }
        var list: [Value] = []
        let formatter = ISO8601DateFormatter()
        for name in order {
            guard let campaign = campaigns[name] else { continue }
            let counts = try campaign.store.counts(campaign: name)
            let latest = try campaign.store.signatures(campaign: name, state: nil, limit: 25, newestFirst: true)
            list.append(.object([
                "name": .string(name), "title": .string(campaign.page.title), "closed": .bool(campaign.isClosed()),
                "open_text": .string(pages.text(campaign.isLetterPage ? "admin_open_letters" : "admin_open")),
                "csrf": .string(csrf.issue("admin")),
                "counts": .array(SignatureState.allCases.map { .object(["state": .string($0.rawValue), "n": .int(counts[$0] ?? 0)]) }),
                "latest": .array(latest.map { signature in
                    let details = [signature.fields["organisation"], signature.fields["city"], signature.fields["country"]]
                        .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
                    return .object(["id": .int(Int(signature.id)), "name": .string(signature.name), "details": .string(details),
                                    "state": .string(signature.state.rawValue), "time": .string(formatter.string(from: signature.createdAt))])
                }),
            ]))
        }
        return Self.html(pages.page("admin", title: pages.text("admin_heading"), context: ["campaigns": .array(list)]), privateToken: true)
    }

    func adminLogin(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try requireAdminEnabled()
        let pages = adminPages
        let form = try await Self.form(request, context, pages: pages)
        try redeem(form["csrf"], purpose: "admin-login", pages: pages)
        guard let adminToken, adminToken.matches(form["token"] ?? "") else {
            return Self.html(pages.page("admin-login", title: pages.text("admin_heading"),
                                        context: ["csrf": .string(csrf.issue("admin-login")), "error": .string(pages.text("admin_bad_token"))]),
                             status: .unauthorized, privateToken: true)
        }
        var headers: HTTPFields = [.location: "/admin"]
        headers[.setCookie] = "\(Self.cookieName)=\(adminSession); Path=/admin; HttpOnly; SameSite=Strict" + (settings.baseURL.hasPrefix("https://") ? "; Secure" : "")
        return Response(status: .seeOther, headers: headers)
    }

    func adminCampaign(_ request: Request, _ context: WebRequestContext) throws -> WebCampaign {
        try requireAdminEnabled()
        guard isAdmin(request) else {
            throw PageFailure(.unauthorized, heading: adminPages.text("admin_heading"), "Log in at /admin first.")
        }
        guard let name = context.parameters.get("name"), let campaign = campaigns[name] else {
            throw PageFailure(.notFound, heading: adminPages.text("admin_heading"), "There is no campaign by that name on this server.")
        }
        return campaign
    }

    func adminAction(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let campaign = try adminCampaign(request, context)
        let form = try await Self.form(request, context, pages: campaign.pages)
        try redeem(form["csrf"], purpose: "admin", pages: campaign.pages)
        switch context.parameters.get("action") {
        case "release":
            try campaign.store.releaseQuarantined(campaign: campaign.name)
            poke(campaign.name)
        case "close": try campaign.store.setClosed(true, campaign: campaign.name)
        case "reopen": try campaign.store.setClosed(false, campaign: campaign.name)
        default: throw PageFailure(.notFound, heading: adminPages.text("admin_heading"), "Unknown action; use the buttons on /admin.")
        }
        return Response(status: .seeOther, headers: [.location: "/admin"])
    }

    func adminExport(_ request: Request, _ context: WebRequestContext) throws -> Response {
        let campaign = try adminCampaign(request, context)
        let signatures = try campaign.store.signatures(campaign: campaign.name, state: .confirmed)
        let text = SignatureExport.csv(signatures, fields: campaign.page.fields + (campaign.isLetterPage ? ["message"] : []),
                                       letters: campaign.isLetterPage)
        var headers: HTTPFields = [.contentType: "text/csv; charset=utf-8"]
        headers[.contentDisposition] = "attachment; filename=\"\(campaign.name)-signatures.csv\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
