import Foundation
import Hummingbird
import Logging
import MegaphoneCampaign
import MegaphoneSignatures
import MegaphoneValue

/// The organiser's page: counts by state, the latest signatures, CSV export,
/// releasing quarantined signatures, closing and reopening. It needs the admin
/// token, as `Authorization: Bearer TOKEN` or through the login form, which starts a
/// session: a random id per login in an HttpOnly, SameSite=Strict cookie (never the
/// token), ended by the logout button or after `--admin-session` (12 hours). Wrong
/// tokens are logged with the client's address and throttled per client.
struct AdminController: Sendable {
    let site: Site
    /// The organiser's logins (a random id per login, kept as keyed hashes with expiries).
    let adminSessions: AdminSessions
    /// Wrong admin tokens per client address.
    let loginThrottle = LoginThrottle()
    /// The admin token's keyed check; nil when no token was set (no admin pages).
    let adminToken: KeyedSecret?

    init(site: Site) {
        self.site = site
        adminToken = site.settings.adminToken.map(KeyedSecret.init)
        adminSessions = AdminSessions(lifetime: site.settings.adminSessionLifetime)
    }

    /// The login page and its form are open to all; the campaigns' actions and exports
    /// sit behind the organiser's authentication (`AdminAuthMiddleware`).
    func addRoutes(to routes: inout RouteTable) {
        routes.get("/\(ServerPaths.admin)") { request, context in try await adminPage(request, context) }
        routes.post("/\(ServerPaths.admin)/login") { request, context in try await adminLogin(request, context) }
        routes.post("/\(ServerPaths.admin)/logout") { request, context in try await adminLogout(request, context) }
        routes.group(AdminAuthMiddleware(admin: self)) { routes in
            routes.get("/\(ServerPaths.admin)/:name/export.csv") { _, context in try export(context) }
            routes.post("/\(ServerPaths.admin)/:name/:action") { request, context in try await campaignAction(request, context) }
        }
    }

    static let cookieName = "megaphone_admin"

    /// What a request may do on the organiser's pages.
    enum AdminAccess {
        case granted
        /// No live session and no right token: the login page.
        case denied
        /// Too many wrong tokens from this client: it may try again in this many seconds.
        case lockedOut(retryAfter: Int)
    }

    func adminAccess(_ request: Request, _ context: WebRequestContext) -> AdminAccess {
        if let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer ") {
            return checkToken(authorization.dropFirst(7), context, via: "Authorization header")
        }
        if let id = sessionID(request), adminSessions.isValid(id) { return .granted }
        return .denied
    }

    /// Checks a given admin token, from the form or a header alike: a locked-out
    /// client is refused before the token is looked at, and a wrong token is counted
    /// and logged with the client's address (never with what was given).
    func checkToken<Given: StringProtocol>(_ given: Given, _ context: WebRequestContext, via: String) -> AdminAccess {
        guard let adminToken else { return .denied }
        let address = context.clientIP.isEmpty ? "an unknown address" : context.clientIP
        let client = ClientKey(context.remoteAddress)
        if let wait = loginThrottle.retryAfter(client) {
            site.logger.warning("admin login refused from \(address) (\(via)): \(loginThrottle.limit) wrong tokens in \(Int(loginThrottle.window / 60)) minutes; locked out for \(wait) more seconds")
            return .lockedOut(retryAfter: wait)
        }
        guard adminToken.matches(given) else {
            let count = loginThrottle.fail(client)
            site.logger.warning("admin login failed from \(address) (\(via)): wrong token, \(count) of \(loginThrottle.limit) allowed in \(Int(loginThrottle.window / 60)) minutes")
            return .denied
        }
        loginThrottle.succeed(client)
        return .granted
    }

    /// The session id in the request's admin cookie, if it carries one.
    func sessionID(_ request: Request) -> Substring? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.drop { $0 == " " || $0 == "\t" }
                if pair.hasPrefix(Self.cookieName + "=") { return pair.dropFirst(Self.cookieName.count + 1) }
            }
        }
        return nil
    }

    /// The admin cookie: `value` for `maxAge` seconds (0 removes it), sent back only to /admin.
    func sessionCookie(_ value: String, maxAge: Int) -> String {
        "\(Self.cookieName)=\(value); Path=/\(ServerPaths.admin); Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
            + (site.settings.baseURL.hasPrefix("https://") ? "; Secure" : "")
    }

    var adminPages: PageRenderer {
        guard let pages = site.defaultPages else { fatalError("a server always has a campaign") }
        return pages
    }

    func requireAdminEnabled() throws {
        guard adminToken != nil else {
            throw PageFailure(.notFound, heading: adminPages.text("admin_heading"), adminPages.text("admin_off"))
        }
    }

    /// The login form, with what went wrong; a 429 carries Retry-After.
    func loginPage(_ status: HTTPResponse.Status, error: String? = nil, retryAfter: Int? = nil) -> Response {
        let pages = adminPages
        var values: Object = ["csrf": .string(site.csrf.issue("admin-login"))]
        if let error { values["error"] = .string(error) }
        var response = HTML.response(pages.page("admin-login", title: pages.text("admin_heading"), context: values), status: status, privateToken: true)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    func lockedOut(_ wait: Int) -> Response {
        loginPage(.tooManyRequests, error: adminPages.text("admin_locked", String((wait + 59) / 60)), retryAfter: wait)
    }

    func adminPage(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try requireAdminEnabled()
        let pages = adminPages
        switch adminAccess(request, context) {
        case .granted: break
        case .denied: return loginPage(.unauthorized)
        case .lockedOut(let wait): return lockedOut(wait)
        }
        var list: [Value] = []
        let formatter = ISO8601DateFormatter()
        for name in site.order {
            guard let campaign = site.campaigns[name] else { continue }
            // The kept counts and the newest 25 by id: two small reads, however many signed.
            let tally = try await campaign.store.tally(campaign: name)
            let counts = tally.byState
            let latest = try await campaign.store.latestSignatures(campaign: name, limit: 25)
            list.append(.object([
                "name": .string(name), "title": .string(campaign.page.title), "closed": .bool(campaign.isClosed(override: tally.closedOverride)),
                "open_text": .string(pages.text(campaign.isLetterPage ? "admin_open_letters" : "admin_open")),
                "csrf": .string(site.csrf.issue("admin")),
                "counts": .array(SignatureState.allCases.map { .object(["state": .string($0.rawValue), "n": .int(counts[$0] ?? 0)]) }),
                "latest": .array(latest.map { signature in
                    let details = [signature.fields["organisation"], signature.fields["city"], signature.fields["country"]]
                        .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
                    return .object(["id": .int(Int(signature.id)), "name": .string(signature.name), "details": .string(details),
                                    "state": .string(signature.state.rawValue), "time": .string(formatter.string(from: signature.createdAt))])
                }),
            ]))
        }
        // The top-level csrf is the logout button's.
        return HTML.response(pages.page("admin", title: pages.text("admin_heading"),
                                    context: ["campaigns": .array(list), "csrf": .string(site.csrf.issue("admin"))]), privateToken: true)
    }

    func adminLogin(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try requireAdminEnabled()
        let pages = adminPages
        let form = try await FormDecoder.form(request, context, pages: pages)
        // The form's token first: a login forged from another site never counts against the organiser's address.
        try site.redeem(form["csrf"], purpose: "admin-login", pages: pages)
        switch checkToken(form["token"] ?? "", context, via: "login form") {
        case .granted: break
        case .denied: return loginPage(.unauthorized, error: pages.text("admin_bad_token"))
        case .lockedOut(let wait): return lockedOut(wait)
        }
        // A new id for every login; the one the browser held (planted, or seen) ends here.
        if let old = sessionID(request) { adminSessions.end(old) }
        var headers: HTTPFields = [.location: "/\(ServerPaths.admin)"]
        headers[.setCookie] = sessionCookie(adminSessions.start(), maxAge: Int(adminSessions.lifetime))
        return Response(status: .seeOther, headers: headers)
    }

    /// POST /admin/logout (the page's button, with its csrf): the session ends on the
    /// server, so a copy of the cookie opens nothing either, and the cookie is cleared.
    func adminLogout(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try requireAdminEnabled()
        let pages = adminPages
        let form = try await FormDecoder.form(request, context, pages: pages)
        try site.redeem(form["csrf"], purpose: "admin", pages: pages)
        if let id = sessionID(request) { adminSessions.end(id) }
        var headers: HTTPFields = [.location: "/\(ServerPaths.admin)"]
        headers[.setCookie] = sessionCookie("", maxAge: 0)
        return Response(status: .seeOther, headers: headers)
    }

    func adminCampaign(_ context: WebRequestContext) throws -> WebCampaign {
        guard let name = context.parameters.get("name"), let campaign = site.campaigns[name] else {
            throw PageFailure(.notFound, heading: adminPages.text("admin_heading"), adminPages.text("admin_unknown_campaign"))
        }
        return campaign
    }

    func campaignAction(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let campaign = try adminCampaign(context)
        let form = try await FormDecoder.form(request, context, pages: campaign.pages)
        try site.redeem(form["csrf"], purpose: "admin", pages: campaign.pages)
        guard let action = context.parameters.get("action").flatMap(OrganiserAction.init(rawValue:)) else {
            throw PageFailure(.notFound, heading: adminPages.text("admin_heading"), adminPages.text("admin_unknown_action"))
        }
        try await campaign.store.perform(action, campaign: campaign.name)
        if action == .release { site.poke(campaign.name) }
        return Response(status: .seeOther, headers: [.location: "/\(ServerPaths.admin)"])
    }

    /// The confirmed signatures as CSV, streamed: read from the store a thousand at a
    /// time (no read transaction held while the client reads) and written as they come,
    /// so a million signatures cost the server no more memory than a thousand.
    func export(_ context: WebRequestContext) throws -> Response {
        let campaign = try adminCampaign(context)
        let store = campaign.store
        let name = campaign.name
        let template = SignatureExport(.csv, fields: campaign.page.fields + (campaign.isLetterPage ? ["message"] : []), letters: campaign.isLetterPage)
        var headers: HTTPFields = [.contentType: "text/csv; charset=utf-8"]
        headers[.contentDisposition] = "attachment; filename=\"\(campaign.name)-signatures.csv\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            var export = template
            try await writer.write(ByteBuffer(string: export.header))
            var position: ListPosition? = nil
            while true {
                let page = try await store.confirmedSignatures(after: position, limit: 1000, campaign: name)
                guard let last = page.last else { break }
                var text = ""
                for signature in page { export.append(signature, to: &text) }
                try await writer.write(ByteBuffer(string: text))
                position = ListPosition(after: last)
            }
            try await writer.finish(nil)
        })
    }
}
