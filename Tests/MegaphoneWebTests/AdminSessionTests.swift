import Foundation
import Hummingbird
import HummingbirdTesting
import MegaphoneTestSupport
import MegaphoneWeb
import Testing

/// The organiser's door through the router: a session per login, logout, expiry,
/// and the lockout after wrong tokens (every request here comes from one client).
@Suite struct AdminSessionTests {
    typealias Client = any TestClientProtocol
    static let token = "organiser-token-for-tests"
    let fixture: WebFixture

    init() throws {
        fixture = try WebFixture()
    }

    func request(_ client: Client, _ method: HTTPRequest.Method, _ uri: String, cookie: String? = nil,
                 bearer: String? = nil, form: [(String, String)]? = nil) async throws -> (HTTPResponse.Status, String, HTTPFields) {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        if form != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: form.map { ByteBuffer(string: formBody($0)) }) { response in
            (response.status, String(buffer: response.body), response.headers)
        }
    }

    /// Logs in through the form (sending `cookie` along, as a browser would); the new
    /// cookie as `name=value`, and the whole Set-Cookie.
    func login(_ client: Client, cookie: String? = nil) async throws -> (session: String, setCookie: String) {
        let (_, page, _) = try await request(client, .get, "/admin")
        let (status, _, headers) = try await request(client, .post, "/admin/login", cookie: cookie,
                                                     form: [("csrf", try #require(csrf(in: page))), ("token", Self.token)])
        #expect(status == .seeOther)
        let setCookie = try #require(headers[.setCookie])
        return (String(setCookie.split(separator: ";")[0]), setCookie)
    }

    func opens(_ client: Client, _ session: String) async throws -> Bool {
        let (status, page, _) = try await request(client, .get, "/admin", cookie: session)
        return status == .ok && page.contains("/admin/petition/export.csv")
    }

    @Test func everyLoginGetsItsOwnSessionAndALoginWhileLoggedInANewOne() async throws {
        defer { fixture.folder.remove() }
        let app = Application(router: try fixture.app().router())
        try await app.test(.router) { client in
            let first = try await login(client)
            let second = try await login(client)
            #expect(first.session != second.session)
            for cookie in [first.setCookie, second.setCookie] {
                #expect(cookie.hasPrefix("megaphone_admin="))
                #expect(cookie.contains("; Path=/admin;") && cookie.contains("; Max-Age=43200;"))
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
                #expect(!cookie.contains(Self.token))
            }
            // 256 random bits, in hex.
            #expect(first.session.dropFirst("megaphone_admin=".count).count == 64)
            #expect(try await opens(client, first.session))
            #expect(try await opens(client, second.session))
            // Logging in again from the first browser: a new id, and the old one is over.
            let third = try await login(client, cookie: first.session)
            #expect(third.session != first.session && third.session != second.session)
            #expect(try await opens(client, third.session))
            #expect(try await !opens(client, first.session))
            #expect(try await opens(client, second.session))
            // A made-up session opens nothing.
            #expect(try await !opens(client, "megaphone_admin=" + String(repeating: "0", count: 64)))
        }
    }

    @Test func logoutEndsTheSessionOnTheServerAndClearsTheCookie() async throws {
        defer { fixture.folder.remove() }
        let app = Application(router: try fixture.app().router())
        try await app.test(.router) { client in
            let (session, _) = try await login(client)
            let other = try await login(client)
            let (_, page, _) = try await request(client, .get, "/admin", cookie: session)
            #expect(page.contains("<form method=\"post\" action=\"/admin/logout\""))
            // Without the page's form token, nothing happens.
            let (forged, _, _) = try await request(client, .post, "/admin/logout", cookie: session, form: [])
            #expect(forged == .forbidden)
            #expect(try await opens(client, session))
            let (status, _, headers) = try await request(client, .post, "/admin/logout", cookie: session,
                                                         form: [("csrf", try #require(csrf(in: page)))])
            #expect(status == .seeOther)
            #expect(headers[.location] == "/admin")
            #expect(headers[.setCookie]?.hasPrefix("megaphone_admin=; Path=/admin; Max-Age=0;") == true)
            // A copy of the old cookie opens nothing: the session is gone on the server.
            let (after, login, _) = try await request(client, .get, "/admin", cookie: session)
            #expect(after == .unauthorized)
            #expect(login.contains("action=\"/admin/login\""))
            let (export, _, _) = try await request(client, .get, "/admin/petition/export.csv", cookie: session)
            #expect(export == .unauthorized)
            #expect(try await opens(client, other.session))
        }
    }

    @Test func anExpiredSessionIsRefused() async throws {
        defer { fixture.folder.remove() }
        let app = Application(router: try fixture.app(adminSession: 1).router())
        try await app.test(.router) { client in
            let (session, setCookie) = try await login(client)
            #expect(setCookie.contains("; Max-Age=1;"))
            #expect(try await opens(client, session))
            try await Task.sleep(for: .milliseconds(1300))
            let (status, page, _) = try await request(client, .get, "/admin", cookie: session)
            #expect(status == .unauthorized)
            #expect(page.contains("action=\"/admin/login\""))
            // Logging in again works.
            #expect(try await opens(client, try await login(client).session))
        }
    }

    @Test func fiveWrongTokensLockTheClientOutEvenWithTheRightToken() async throws {
        defer { fixture.folder.remove() }
        let app = Application(router: try fixture.app().router())
        try await app.test(.router) { client in
            let (earlier, _) = try await login(client)
            var page = try await request(client, .get, "/admin").1
            for attempt in 1...5 {
                let (status, answer, _) = try await request(client, .post, "/admin/login",
                                                            form: [("csrf", try #require(csrf(in: page))), ("token", "wrong-guess-\(attempt)")])
                #expect(status == .unauthorized, "attempt \(attempt)")
                #expect(answer.contains("That token is not right."))
                page = answer
            }
            let (status, answer, headers) = try await request(client, .post, "/admin/login",
                                                              form: [("csrf", try #require(csrf(in: page))), ("token", Self.token)])
            #expect(status == .tooManyRequests)
            #expect(answer.contains("Too many wrong tokens came from your address. Try again in 15 min."))
            let wait = try #require(headers[.retryAfter].flatMap { Int($0) })
            #expect((890...900).contains(wait))
            // The header is a login too: refused the same way.
            let (bearer, _, bearerHeaders) = try await request(client, .get, "/admin", bearer: Self.token)
            #expect(bearer == .tooManyRequests)
            #expect(bearerHeaders[.retryAfter] != nil)
            let (export, _, _) = try await request(client, .get, "/admin/petition/export.csv", bearer: Self.token)
            #expect(export == .tooManyRequests)
            // A session from before stays open: it was not guessed.
            #expect(try await opens(client, earlier))
        }
    }

    @Test func wrongTokensInTheHeaderCountAsFailedLogins() async throws {
        defer { fixture.folder.remove() }
        let app = Application(router: try fixture.app().router())
        try await app.test(.router) { client in
            for attempt in 1...5 {
                let (status, _, _) = try await request(client, .get, "/admin/petition/export.csv", bearer: "wrong-guess-\(attempt)")
                #expect(status == .unauthorized)
            }
            let (_, page, _) = try await request(client, .get, "/admin")
            let (status, _, _) = try await request(client, .post, "/admin/login", form: [("csrf", try #require(csrf(in: page))), ("token", Self.token)])
            #expect(status == .tooManyRequests)
        }
    }
}
