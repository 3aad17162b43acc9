import Foundation
import MegaphoneSignatures
import MegaphoneTestSupport
import Testing

/// The request log (serve's stderr) never holds a confirm, withdraw or unsubscribe token,
/// however the path is spelled; a path with an empty segment is redirected (308) to the
/// path without.
@Suite struct RequestLogTests {
    @Test func tokensNeverReachTheLogInAnySpelling() throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let server = try ServeProcess(["petition.json"], in: fixture.folder.url)
        defer { _ = server.terminate() }
        let token = Token.generate().description
        let requests: [(String, String)] = [
            ("GET", "//confirm/\(token)"), ("POST", "//withdraw/\(token)"), ("GET", "/confirm/\(token)/"),
            ("GET", "/u//\(token)"), ("GET", "/confirm/\(token)"), ("HEAD", "/withdraw/\(token)"),
            ("PUT", "/confirm/\(token)"), ("GET", "/confirm/\(token)/more"), ("GET", "/confirm%2F\(token)"),
            ("GET", "/%63onfirm/\(token)"), ("GET", "/\(token)"), ("GET", "/petition/\(token)"), ("GET", "/u/\(token)?x=\(token)"),
        ]
        for (method, path) in requests {
            let answer = try RawConnection.exchange(port: server.port, "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            #expect(!answer.statusLine.isEmpty, "\(method) \(path): no answer")
        }
        // One line per request; the last may take a moment to be written.
        let until = Date().addingTimeInterval(10)
        while Date() < until, server.log.components(separatedBy: "ms\n").count <= requests.count { Thread.sleep(forTimeInterval: 0.05) }
        let log = server.log
        #expect(!log.contains(token), "\(log)")
        #expect(!log.contains(String(token.prefix(12))))
        #expect(log.contains("GET //confirm/<token> 308 "), "\(log)")
        #expect(log.contains("POST //withdraw/<token> 308 "))
        #expect(log.contains("GET /confirm/<token> 404 "))
        #expect(log.contains("PUT /confirm/<token> 405 "))
        #expect(log.contains("GET /confirm/<?>/<?> 404 "))   // no route: only literal text is kept
        #expect(log.contains("GET /petition/<?> 404 "))
    }

    @Test(arguments: [("GET", "//confirm/abc", "/confirm/abc"), ("POST", "/petition//sign", "/petition/sign"),
                      ("GET", "/petition/", "/petition"), ("GET", "/u//abc?x=1", "/u/abc?x=1")])
    func aPathWithAnEmptySegmentIsRedirectedToThePathWithout(method: String, path: String, location: String) throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let server = try ServeProcess(["petition.json"], in: fixture.folder.url)
        defer { _ = server.terminate() }
        let answer = try RawConnection.exchange(port: server.port, "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        #expect(answer.statusLine == "HTTP/1.1 308 Permanent Redirect", "\(answer.text)")
        #expect(answer["Location"] == location)
        #expect(answer["Cache-Control"] == "no-store")
    }
}
