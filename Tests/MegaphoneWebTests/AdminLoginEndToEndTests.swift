import Foundation
import MegaphoneTestSupport
import Testing

/// The organiser's door of the built `megaphone serve`, over real sockets from two
/// loopback addresses: one guesses tokens, the other is the organiser.
@Suite struct AdminLoginEndToEndTests {
    static let token = "organiser-token-end-to-end-0123456789"

    @Test func wrongTokensLockOutTheirAddressOnlyAreLoggedWithoutTheTokenAndSessionsExpire() throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let server = try ServeProcess(["petition.json"], in: fixture.folder.url, extra: ["--admin-session", "3s"],
                                      environment: ["MEGAPHONE_ADMIN_TOKEN": Self.token])
        var stopped = false
        defer { if !stopped { _ = server.terminate() } }
        let guesser = LoopbackHTTP(port: server.port, from: "127.0.0.2")
        let organiser = LoopbackHTTP(port: server.port, from: "127.0.0.1")

        var page = try guesser.get("/admin").body
        var guesses: [String] = []
        for attempt in 1...5 {
            let guess = "guess-\(attempt)-\(UUID().uuidString)"
            guesses.append(guess)
            let answer = try guesser.post("/admin/login", form: formBody([("csrf", try #require(csrf(in: page))), ("token", guess)]))
            #expect(answer.status == 401, "attempt \(attempt)")
            page = answer.body
        }
        // Locked out: even the right token is refused, with how long to wait.
        let locked = try guesser.post("/admin/login", form: formBody([("csrf", try #require(csrf(in: page))), ("token", Self.token)]))
        #expect(locked.status == 429)
        let wait = try #require(locked.header("Retry-After").flatMap { Int($0) })
        #expect((1...900).contains(wait))
        #expect(try guesser.get("/admin", headers: ["Authorization": "Bearer \(Self.token)"]).status == 429)

        // The organiser, from another address, gets in.
        let loginPage = try organiser.get("/admin").body
        let login = try organiser.post("/admin/login", form: formBody([("csrf", try #require(csrf(in: loginPage))), ("token", Self.token)]))
        #expect(login.status == 303)
        let setCookie = try #require(login.header("Set-Cookie"))
        #expect(setCookie.contains("; Max-Age=3;"))
        let session = String(setCookie.split(separator: ";")[0])
        #expect(try organiser.get("/admin", headers: ["Cookie": session]).status == 200)
        // --admin-session 3s: after that, the same cookie opens nothing.
        Thread.sleep(forTimeInterval: 3.3)
        #expect(try organiser.get("/admin", headers: ["Cookie": session]).status == 401)

        #expect(server.terminate() == 0)
        stopped = true
        let log = server.log
        #expect(log.components(separatedBy: "admin login failed from 127.0.0.2 (login form): wrong token").count - 1 == 5, "\(log)")
        #expect(log.contains("admin login failed from 127.0.0.2 (login form): wrong token, 5 of 5 allowed in 15 minutes"))
        #expect(log.contains("admin login refused from 127.0.0.2 (login form)"))
        #expect(log.contains("admin login refused from 127.0.0.2 (Authorization header)"))
        #expect(!log.contains("admin login failed from 127.0.0.1"))
        for secret in guesses + [Self.token] {
            #expect(!log.contains(secret), "the log holds a token that was given")
        }
    }

    @Test(arguments: ["0s", "500ms", "169h", "12", "forever"])
    func anAdminSessionOutsideASecondToAWeekIsAUsageError(value: String) throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let result = try CLI.run(["serve", "petition.json", "--listen", "127.0.0.1:0", "--admin-session", value], in: fixture.folder.url)
        #expect(result.status == 64)
        #expect(result.stderr.contains("--admin-session takes how long an organiser's login lasts, from 1s to 168h, as in 30m or 12h"), "\(result.stderr)")
    }
}
