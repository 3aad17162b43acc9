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
        var routes = RouteTable(loggable: ["name": Set(order), "action": ["release", "close", "reopen"]])
        routes.get("/healthz") { _, _ in Self.text("ok\n") }
        // The same answer to a POST: a load balancer's check, and the benchmark's ceiling
        // (this server answering a trivial POST through the same middleware).
        routes.post("/healthz") { _, _ in Self.text("ok\n") }
        routes.get("/static/site.css") { _, _ in try Self.asset("site.css", type: "text/css; charset=utf-8") }
        routes.get("/static/count.js") { _, _ in try Self.asset("count.js", type: "text/javascript; charset=utf-8") }

        routes.get("/confirm/:token") { [self] _, context in try await confirmPage(context) }
        routes.post("/confirm/:token") { [self] request, context in try await confirm(request, context) }
        routes.get("/withdraw/:token") { [self] _, context in try await withdrawPage(context) }
        routes.post("/withdraw/:token") { [self] request, context in try await withdraw(request, context) }

        routes.get("/u/:token") { [self] _, context in try unsubscribePage(context) }
        routes.post("/u/:token") { [self] request, context in try await unsubscribe(request, context) }

        routes.get("/admin") { [self] request, _ in try adminPage(request) }
        routes.post("/admin/login") { [self] request, context in try await adminLogin(request, context) }
        routes.get("/admin/:name/export.csv") { [self] request, context in try adminExport(request, context) }
        routes.post("/admin/:name/:action") { [self] request, context in try await adminAction(request, context) }

        routes.get("/:name") { [self] _, context in try campaignPage(context) }
        routes.post("/:name/sign") { [self] request, context in try await sign(request, context) }
        routes.get("/:name/check-email") { [self] _, context in try checkEmail(context) }
        routes.get("/:name/count.json") { [self] _, context in try count(context) }
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
            throw PageFailure(.notFound, heading: defaultPages?.text("error_heading") ?? "Not found",
                              "There is no campaign at this address. Check the link you were given.")
        }
        return campaign
    }

    func campaignPage(_ context: WebRequestContext) throws -> Response {
        let campaign = try campaign(context)
        return Self.html(renderForm(campaign, form: nil))
    }

    /// The campaign's page: appeal, demands, count, and the form (with what was typed and what to fix).
    func renderForm(_ campaign: WebCampaign, form: SignatureForm?) -> String {
        let pages = campaign.pages
        let count = (try? campaign.store.confirmedCount(campaign: campaign.name)) ?? 0
        var context: Object = [
            "campaign": .string(campaign.name),
            "count": .string(Self.grouped(count)),
            "appeal": .string(campaign.appealHTML),
            "demands": .array(campaign.demands.map(Value.string)),
            "has_demands": .bool(!campaign.demands.isEmpty),
            "closed": .bool(campaign.isClosed()),
            "csrf": .string(csrf.issue("sign:\(campaign.name)")),
            "has_errors": .bool(!(form?.errors.isEmpty ?? true)),
            "url": .string("\(settings.baseURL)/\(campaign.name)"),
            "mailto": .string(Self.mailto(subject: campaign.page.title, body: "\(campaign.page.title)\n\n\(settings.baseURL)/\(campaign.name)")),
        ]
        if let goal = campaign.page.goal {
            context["goal"] = .int(goal)
            context["percent"] = .int(min(100, count * 100 / max(goal, 1)))
        }
        let types = ["email": ("email", "email"), "name": ("text", "name"), "organisation": ("text", "organization"),
                     "city": ("text", "address-level2"), "country": ("text", "country-name"), "postcode": ("text", "postal-code"), "phone": ("text", "tel")]
        context["fields"] = .array(campaign.page.fields.map { name in
            var field: Object = [
                "name": .string(name), "label": .string(pages.text("field_\(name)")),
                "type": .string(types[name]?.0 ?? "text"), "autocomplete": .string(types[name]?.1 ?? "on"),
                "value": .string(form?.fields[name] ?? ""), "max": .int(SignatureForm.maxLength[name] ?? 100),
                "required": .bool(name == "name" || name == "email"),
            ]
            if name == "name" { field["hint"] = .string(pages.text(campaign.isLetterPage ? "hint_name_letter" : "hint_name")) }
            if let error = form?.errors[name] { field["error"] = .string(error) }
            return .object(field)
        })
        if campaign.isLetterPage {
            let chosen = Set(form?.targets ?? [])
            var groups: [(String, [Value])] = []
            for target in campaign.targets {
                let item: Value = .object(["email": .string(target.email), "name": .string(target.name), "checked": .bool(chosen.contains(target.email))])
                if let index = groups.firstIndex(where: { $0.0 == target.group }) { groups[index].1.append(item) } else { groups.append((target.group, [item])) }
            }
            var letter: Object = ["groups": .array(groups.map { .object(["label": .string($0.0), "targets": .array($0.1)]) }),
                                  "message": .string(form?.message ?? "")]
            if let error = form?.errors["target"] { letter["target_error"] = .string(error) }
            if let error = form?.errors["message"] { letter["message_error"] = .string(error) }
            context["letter"] = .object(letter)
        }
        return pages.page("campaign", title: campaign.page.title, context: context, script: true)
    }

    func sign(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let campaign = try campaign(context)
        let pages = campaign.pages
        let form = try await Self.form(request, context, pages: pages)
        if campaign.isClosed() {
            throw PageFailure(.forbidden, heading: pages.text("closed_heading"), pages.text("closed"))
        }
        try redeem(form["csrf"], purpose: "sign:\(campaign.name)", pages: pages)
        let checkEmail = Response(status: .seeOther, headers: [.location: "/\(campaign.name)/check-email"])
        // A filled honeypot is a bot: it sees success, and nothing is stored.
        if !(form["website"] ?? "").isEmpty { return checkEmail }
        var checked = SignatureForm(form, fieldNames: campaign.page.fields,
                                    recipients: campaign.isLetterPage ? campaign.targetEmails : nil,
                                    smtputf8: campaign.campaign.manifest.smtputf8, strings: pages)
        guard checked.isValid else {
            return Self.html(renderForm(campaign, form: checked), status: .unprocessableContent)
        }
        if campaign.isLetterPage { checked.fields["message"] = checked.message }
        let now = Date()
        let signRequest = SignRequest(campaign: campaign.name, fields: checked.fields, targets: checked.targets,
                                      quarantine: !limiter.allow(campaign: campaign.name, address: context.clientIP, now: now),
                                      expires: now.addingTimeInterval(Double(campaign.page.confirmDays) * 86_400), now: now,
                                      maxNotices: settings.maxNotices)
        guard let mail = mails[campaign.name] else { return checkEmail }
        // The confirmation (by far the most common email) is composed here, in parallel
        // with other requests, not inside the store's one serial writer.
        let confirmation = mail.mail(for: .new, request: signRequest)
        _ = try await campaign.store.sign(signRequest) { disposition, _ in
            switch disposition {
            case .new, .pendingAgain: confirmation
            case .alreadySigned, .quiet: mail.mail(for: disposition, request: signRequest)
            }
        }
        poke(campaign.name)
        return checkEmail
    }

    func checkEmail(_ context: WebRequestContext) throws -> Response {
        let campaign = try campaign(context)
        let pages = campaign.pages
        return Self.html(pages.message(title: campaign.page.title, heading: pages.text("check_heading"),
                                       paragraphs: [pages.text("check_text"), pages.text("check_text2")], back: "/\(campaign.name)"))
    }

    func count(_ context: WebRequestContext) throws -> Response {
        let campaign = try campaign(context)
        let count = try campaign.store.confirmedCount(campaign: campaign.name)
        let goal = campaign.page.goal.map(String.init) ?? "null"
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "{\"confirmed\": \(count), \"goal\": \(goal)}\n")))
    }

    // MARK: Confirming and withdrawing

    /// The campaign, signature and token expiry a token belongs to, in whichever store holds it.
    func find(_ token: Token, purpose: String) throws -> (WebCampaign, Signature, Date?)? {
        var seen: Set<String> = []
        for name in order {
            guard let campaign = campaigns[name], seen.insert(campaign.store.path).inserted else { continue }
            if let (signature, expires) = try campaign.store.signature(token: token, purpose: purpose),
               let owner = campaigns[signature.campaign] {
                return (owner, signature, expires)
            }
        }
        return nil
    }

    func token(_ context: WebRequestContext, purpose: String) throws -> (Token, WebCampaign, Signature, Date?) {
        let pages = defaultPages
        guard let text = context.parameters.get("token"), let token = Token(text), let (campaign, signature, expires) = try find(token, purpose: purpose),
              signature.state != .withdrawn || purpose == "withdraw" else {
            throw PageFailure(.notFound, heading: pages?.text("unknown_heading") ?? "", pages?.text("unknown_text") ?? "")
        }
        return (token, campaign, signature, expires)
    }

    func confirmPage(_ context: WebRequestContext) async throws -> Response {
        let (token, campaign, signature, expires) = try token(context, purpose: "confirm")
        let pages = campaign.pages
        if signature.verifiedAt != nil { return Self.html(thanks(campaign)) }
        if campaign.isClosed() { throw PageFailure(.forbidden, heading: pages.text("closed_heading"), pages.text("closed")) }
        if let expires, expires < Date() {
            throw PageFailure(.gone, heading: pages.text("expired_heading"), pages.text("expired_text"), back: "/\(campaign.name)")
        }
        var letters: [Value] = []
        if campaign.isLetterPage {
            for outcome in campaign.campaign.letters(from: signature.fields, targets: signature.targets) {
                guard case .composed(let letter) = outcome else { continue }
                letters.append(.object(["to": .string(letter.message.to.map { $0.displayName.isEmpty ? $0.address.description : "\($0.displayName) <\($0.address)>" }.joined(separator: ", ")),
                                        "subject": .string(letter.message.subject), "text": .string(letter.message.text)]))
            }
        }
        let context: Object = [
            "heading": .string(pages.text("confirm_heading")),
            "intro": .string(pages.text(campaign.isLetterPage ? "confirm_letter_intro" : "confirm_intro")),
            "letters": .array(letters), "has_letters": .bool(!letters.isEmpty),
            "action": .string("/confirm/\(token)"),
            "csrf": .string(csrf.issue("confirm")),
            "button": .string(pages.text(campaign.isLetterPage ? "confirm_letter_button" : "confirm_button")),
        ]
        return Self.html(pages.page("confirm", title: campaign.page.title, context: context), privateToken: true)
    }

    func thanks(_ campaign: WebCampaign) -> String {
        let pages = campaign.pages
        return pages.message(title: campaign.page.title, heading: pages.text("thanks_heading"),
                             paragraphs: [pages.text(campaign.isLetterPage ? "thanks_letter_text" : "thanks_text")], back: "/\(campaign.name)")
    }

    func confirm(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let (token, campaign, _, _) = try token(context, purpose: "confirm")
        let pages = campaign.pages
        let form = try await Self.form(request, context, pages: pages)
        try redeem(form["csrf"], purpose: "confirm", pages: pages)
        if campaign.isClosed() { throw PageFailure(.forbidden, heading: pages.text("closed_heading"), pages.text("closed")) }
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
        let (token, campaign, signature, _) = try token(context, purpose: "withdraw")
        let pages = campaign.pages
        if signature.state == .withdrawn {
            return Self.html(pages.message(title: campaign.page.title, heading: pages.text("withdrawn_heading"), paragraphs: [pages.text("withdrawn_text")]))
        }
        let context: Object = [
            "heading": .string(pages.text("withdraw_heading")), "intro": .string(pages.text("withdraw_intro")),
            "letters": .array([]), "has_letters": .bool(false), "action": .string("/withdraw/\(token)"),
            "csrf": .string(csrf.issue("withdraw")), "button": .string(pages.text("withdraw_button")),
        ]
        return Self.html(pages.page("confirm", title: campaign.page.title, context: context), privateToken: true)
    }

    func withdraw(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let (token, campaign, _, _) = try token(context, purpose: "withdraw")
        let pages = campaign.pages
        let form = try await Self.form(request, context, pages: pages)
        try redeem(form["csrf"], purpose: "withdraw", pages: pages)
        _ = try await campaign.store.withdraw(token)
        return Self.html(pages.message(title: campaign.page.title, heading: pages.text("withdrawn_heading"), paragraphs: [pages.text("withdrawn_text")]),
                         privateToken: true)
    }

    // MARK: Helpers

    func redeem(_ token: String?, purpose: String, pages: PageRenderer) throws {
        do {
            try csrf.redeem(token, purpose: purpose)
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
            throw PageFailure(.unsupportedMediaType, heading: pages.text("error_heading"),
                              "This address takes a form sent by the page (application/x-www-form-urlencoded); reload the page and use its form.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: WebSettings.maxBody)
        } catch {
            throw PageFailure(.contentTooLarge, heading: pages.text("error_heading"),
                              "The form is larger than 16 KB; shorten what you typed and send it again.")
        }
        do {
            return try FormData(Array(buffer.readableBytesView))
        } catch {
            throw PageFailure(.badRequest, heading: pages.text("error_heading"),
                              "The form could not be read (it is not valid UTF-8 text); reload the page and send it again.")
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
            throw PageFailure(.notFound, heading: "Not found", "No such file.")
        }
        var headers: HTTPFields = [.contentType: type]
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func grouped(_ number: Int) -> String {
        let digits = Array(String(number))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
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
