public import Hummingbird
import Foundation
import MegaphoneCampaign
import MegaphoneMail
import MegaphoneSignatures
import MegaphoneValue

extension WebApp {
    /// Every route, with the middleware that logs requests, adds security headers,
    /// answers HEAD and 405s, and turns errors into plain HTML pages.
    public func router() -> Router<WebRequestContext> {
        let routes = routeTable()
        let router = Router(context: WebRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: RequestLogMiddleware(logger: logger, routes: routes))
        router.add(middleware: SecurityHeadersMiddleware(headers: securityHeaders, embedding: embedding))
        router.add(middleware: HeadAndPathMiddleware())
        router.add(middleware: ErrorPageMiddleware(pages: defaultPages))
        router.add(middleware: MethodNotAllowedMiddleware(routes: routes))
        routes.register(on: router)
        return router
    }

    /// Every route the server answers; the one table the router, the 405 answers and the
    /// request log all read. `:token` parameters are never logged.
    func routeTable() -> RouteTable {
        var routes = RouteTable(loggable: ["name": Set(order), "action": Set(OrganiserAction.allCases.map(\.rawValue))])
        // The first segments come from ServerPaths: the same list check refuses as campaign names.
        routes.get("/\(ServerPaths.health)") { _, _ in Self.text("ok\n") }
        // The same answer to a POST: a load balancer's check, and the benchmark's ceiling
        // (this server answering a trivial POST through the same middleware).
        routes.post("/\(ServerPaths.health)") { _, _ in Self.text("ok\n") }
        routes.get("/\(ServerPaths.assets)/site.css") { _, _ in try Self.asset("site.css", type: "text/css; charset=utf-8") }
        routes.get("/\(ServerPaths.assets)/count.js") { _, _ in try Self.asset("count.js", type: "text/javascript; charset=utf-8") }

        routes.get("/\(ServerPaths.confirm)/:token") { [self] _, context in try await confirmPage(context) }
        routes.post("/\(ServerPaths.confirm)/:token") { [self] request, context in try await confirm(request, context) }
        routes.get("/\(ServerPaths.withdraw)/:token") { [self] _, context in try await withdrawPage(context) }
        routes.post("/\(ServerPaths.withdraw)/:token") { [self] request, context in try await withdraw(request, context) }

        routes.get("/\(ServerPaths.unsubscribe)/:token") { [self] _, context in try unsubscribePage(context) }
        routes.post("/\(ServerPaths.unsubscribe)/:token") { [self] request, context in try await unsubscribe(request, context) }

        routes.get("/\(ServerPaths.admin)") { [self] request, context in try await adminPage(request, context) }
        routes.post("/\(ServerPaths.admin)/login") { [self] request, context in try await adminLogin(request, context) }
        routes.post("/\(ServerPaths.admin)/logout") { [self] request, context in try await adminLogout(request, context) }
        routes.get("/\(ServerPaths.admin)/:name/export.csv") { [self] request, context in try await adminExport(request, context) }
        routes.post("/\(ServerPaths.admin)/:name/:action") { [self] request, context in try await adminAction(request, context) }

        routes.get("/:name") { [self] _, context in try await campaignPage(context) }
        routes.post("/:name/sign") { [self] request, context in try await sign(request, context) }
        // The form's address, opened as a page (a bookmark, a reload after a redirect): the campaign page.
        routes.get("/:name/sign") { [self] _, context in try signAddress(context) }
        routes.get("/:name/check-email") { [self] _, context in try checkEmail(context) }
        routes.get("/:name/count.json") { [self] _, context in try await count(context) }
        return routes
    }

    /// The headers every answer carries (HSTS when the public address is https).
    var securityHeaders: SecurityHeaders { SecurityHeaders(https: settings.baseURL.lowercased().hasPrefix("https://")) }

    var defaultPages: PageRenderer? { order.first.flatMap { campaigns[$0]?.pages } ?? plainPages }

    /// Origins that may frame each campaign's pages.
    var embedding: [String: [String]] { campaigns.mapValues(\.page.embedFrom) }

    // MARK: Campaign pages

    func campaign(_ context: WebRequestContext) throws -> WebCampaign {
        guard let name = context.parameters.get("name"), let campaign = campaigns[name] else {
            let pages = defaultPages ?? PageRenderer.english
            throw PageFailure(.notFound, heading: pages?.text("not_found_heading") ?? "", pages?.text("not_found_campaign") ?? "")
        }
        return campaign
    }

    // MARK: Confirming and withdrawing

    /// The campaign, signature and token expiry a token belongs to, in whichever store holds it.
    func find(_ token: Token, purpose: String) async throws -> (WebCampaign, Signature, Date?)? {
        var seen: Set<String> = []
        for name in order {
            guard let campaign = campaigns[name], seen.insert(campaign.store.path).inserted else { continue }
            if let (signature, expires) = try await campaign.store.signature(token: token, purpose: purpose),
               let owner = campaigns[signature.campaign] {
                return (owner, signature, expires)
            }
        }
        return nil
    }

    func token(_ context: WebRequestContext, purpose: String) async throws -> (Token, WebCampaign, Signature, Date?) {
        let pages = defaultPages
        guard let text = context.parameters.get("token"), let token = Token(text), let (campaign, signature, expires) = try await find(token, purpose: purpose),
              signature.state != .withdrawn || purpose == "withdraw" else {
            throw PageFailure(.notFound, heading: pages?.text("unknown_heading") ?? "", pages?.text("unknown_text") ?? "")
        }
        return (token, campaign, signature, expires)
    }

    func confirmPage(_ context: WebRequestContext) async throws -> Response {
        let (token, campaign, signature, expires) = try await token(context, purpose: "confirm")
        let pages = campaign.pages
        if signature.verifiedAt != nil { return Self.html(thanks(campaign)) }
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
            "csrf": .string(csrf.issue("confirm")),
            "button": .string(campaign.text("confirm_button")),
        ]
        return Self.html(pages.page("confirm", title: campaign.page.title, context: context, footer: campaign.footerText), privateToken: true)
    }

    func thanks(_ campaign: WebCampaign) -> String {
        let pages = campaign.pages
        return pages.message(title: campaign.page.title, heading: pages.text("thanks_heading"),
                             paragraphs: [campaign.text("thanks_text")], back: "/\(campaign.name)", footer: campaign.footerText)
    }

    func confirm(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let (token, campaign, _, _) = try await token(context, purpose: "confirm")
        let pages = campaign.pages
        let form = try await Self.form(request, context, pages: pages)
        try redeem(form["csrf"], purpose: "confirm", pages: pages)
        if await campaign.isClosed() { throw PageFailure(.forbidden, heading: pages.text("closed_heading"), campaign.text("closed")) }
        switch try await campaign.store.confirm(token) {
        case .confirmed, .alreadyConfirmed:
            poke(campaign.name)
            return Self.html(thanks(campaign), privateToken: true)
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
            return Self.html(pages.message(title: campaign.page.title, heading: campaign.text("withdrawn_heading"), paragraphs: [campaign.text("withdrawn_text")]))
        }
        let context: Object = [
            "heading": .string(campaign.text("withdraw_heading")), "intro": .string(campaign.text("withdraw_intro")),
            "letters": .array([]), "has_letters": .bool(false), "action": .string("/\(ServerPaths.withdraw)/\(token)"),
            "csrf": .string(csrf.issue("withdraw")), "button": .string(campaign.text("withdraw_button")),
        ]
        return Self.html(pages.page("confirm", title: campaign.page.title, context: context), privateToken: true)
    }

    func withdraw(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let (token, campaign, _, _) = try await token(context, purpose: "withdraw")
        let pages = campaign.pages
        let form = try await Self.form(request, context, pages: pages)
        try redeem(form["csrf"], purpose: "withdraw", pages: pages)
        _ = try await campaign.store.withdraw(token)
        return Self.html(pages.message(title: campaign.page.title, heading: campaign.text("withdrawn_heading"), paragraphs: [campaign.text("withdrawn_text")]),
                         privateToken: true)
    }

    // MARK: Helpers

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

    /// The request's form: only `application/x-www-form-urlencoded`, at most 16 KB, valid UTF-8.
    static func form(_ request: Request, _ context: WebRequestContext, pages: PageRenderer) async throws -> FormData {
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == "application/x-www-form-urlencoded" else {
            throw PageFailure(.unsupportedMediaType, heading: pages.text("error_heading"), pages.text("err_form_type"))
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: WebSettings.maxBody)
        } catch {
            throw PageFailure(.contentTooLarge, heading: pages.text("error_heading"), pages.text("err_form_large"))
        }
        do {
            return try FormData(Array(buffer.readableBytesView))
        } catch {
            throw PageFailure(.badRequest, heading: pages.text("error_heading"), pages.text("err_form_unreadable"))
        }
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok, privateToken: Bool = false) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        headers[.cacheControl] = privateToken ? "no-store" : "no-cache"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func asset(_ name: String, type: String) throws -> Response {
        guard let data = FileManager.default.contents(atPath: "\(PageRenderer.builtInFolder)/\(name)") else {
            throw PageFailure(.notFound, heading: PageRenderer.english?.text("not_found_heading") ?? "", PageRenderer.english?.text("error_no_file_text") ?? "")
        }
        var headers: HTTPFields = [.contentType: type]
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func mailto(subject: String, body: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return "mailto:?subject=\(encode(subject))&body=\(encode(body))"
    }
}

/// A page that says what went wrong and what to do, with its status.
struct PageFailure: Error {
    let status: HTTPResponse.Status
    let heading: String
    let text: String
    let back: String?

    init(_ status: HTTPResponse.Status, heading: String, _ text: String, back: String? = nil) {
        self.status = status
        self.heading = heading
        self.text = text
        self.back = back
    }
}
