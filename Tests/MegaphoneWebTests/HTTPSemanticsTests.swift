import Foundation
import MegaphoneTestSupport
import Testing

/// HTTP/1.1's rules (RFC 9110, RFC 9112) as the built `megaphone serve` keeps them, over
/// raw loopback sockets: HEAD, 405 with Allow, Host, Expect: 100-continue, malformed
/// requests, and HSTS for an https public address.
@Suite(.serialized) struct HTTPSemanticsTests {
    static let securityHeaders = ["Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"]

    func expectSecurityHeaders(_ answer: RawAnswer, sourceLocation: SourceLocation = #_sourceLocation) {
        for name in Self.securityHeaders {
            #expect(answer[name] != nil, "\(name) missing from \(answer.text)", sourceLocation: sourceLocation)
        }
    }

    @Test func headIsAnsweredWhereverGetIsWithGetsHeadersAndNoBody() throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let server = try ServeProcess(["petition.json"], in: fixture.folder.url)
        defer { _ = server.terminate() }
        for path in ["/healthz", "/petition", "/petition/count.json", "/static/site.css"] {
            let get = try RawConnection.exchange(port: server.port, "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            let head = try RawConnection.exchange(port: server.port, "HEAD \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            #expect(head.statusLine == "HTTP/1.1 200 OK", "HEAD \(path): \(head.text)")
            #expect(head.body.isEmpty, "HEAD \(path) has a body")
            #expect(head["Content-Type"] == get["Content-Type"])
            #expect(head["Content-Length"] == String(get.body.utf8.count), "HEAD \(path)")
            expectSecurityHeaders(head)
        }
        // Kept alive: a HEAD then a GET on one connection, each answer framed right.
        let connection = try RawConnection(port: server.port)
        connection.send("HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        let both = connection.read()
        #expect(both.components(separatedBy: "HTTP/1.1 200 OK").count == 3, "\(both)")
        #expect(both.hasSuffix("\r\n\r\nok\n"))
        let missing = try RawConnection.exchange(port: server.port, "HEAD /nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        #expect(missing.statusLine == "HTTP/1.1 404 Not Found")
        #expect(missing.body.isEmpty)
    }

    @Test(arguments: [
        ("PUT /healthz", "GET, HEAD, POST"),
        ("DELETE /petition", "GET, HEAD"),
        ("POST /petition/count.json", "GET, HEAD"),
        ("PUT /petition/sign", "POST, GET, HEAD"),
        ("PATCH /confirm/abc", "GET, HEAD, POST"),
    ])
    func aWrongMethodIs405WithTheMethodsThePathTakes(request: String, allowed: String) throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let server = try ServeProcess(["petition.json"], in: fixture.folder.url)
        defer { _ = server.terminate() }
        let answer = try RawConnection.exchange(port: server.port, "\(request) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        #expect(answer.statusLine == "HTTP/1.1 405 Method Not Allowed", "\(answer.text)")
        #expect(answer["Allow"] == allowed)
        #expect(answer.body.contains("does not take that kind of request"))
        expectSecurityHeaders(answer)
        // A path no route has stays 404.
        let none = try RawConnection.exchange(port: server.port, "POST /petition/sign/more HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        #expect(none.statusLine == "HTTP/1.1 404 Not Found")
    }

    @Test func hostIsRequiredOnceInHTTP11() throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let server = try ServeProcess(["petition.json"], in: fixture.folder.url)
        defer { _ = server.terminate() }
        let none = try RawConnection.exchange(port: server.port, "GET /healthz HTTP/1.1\r\n\r\n")
        #expect(none.statusLine == "HTTP/1.1 400 Bad Request", "\(none.text)")
        #expect(none.body.contains("no Host header"))
        expectSecurityHeaders(none)
        let two = try RawConnection.exchange(port: server.port, "GET /healthz HTTP/1.1\r\nHost: a.example.org\r\nHost: b.example.org\r\n\r\n")
        #expect(two.statusLine == "HTTP/1.1 400 Bad Request", "\(two.text)")
        #expect(two.body.contains("2 Host headers"))
        let old = try RawConnection.exchange(port: server.port, "GET /healthz HTTP/1.0\r\nConnection: close\r\n\r\n")
        #expect(old.statusLine.hasSuffix(" 200 OK"), "\(old.text)")
        #expect(old.body == "ok\n")
        let oldTwo = try RawConnection.exchange(port: server.port, "GET /healthz HTTP/1.0\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n")
        #expect(oldTwo.statusLine.hasSuffix(" 400 Bad Request"))
    }

    @Test func expectContinueIsAnsweredAtOnce() throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let server = try ServeProcess(["petition.json"], in: fixture.folder.url)
        defer { _ = server.terminate() }
        // Over 16 KB: the 413 comes without the body being sent (before the fix: never).
        let large = try RawConnection(port: server.port)
        large.send("POST /petition/sign HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 20000\r\nExpect: 100-continue\r\n\r\n")
        let refused = RawAnswer(large.read(seconds: 10))
        #expect(refused.statusLine == "HTTP/1.1 413 Payload Too Large", "\(refused.text)")
        #expect(refused.body.contains("larger than 16 KB"))
        expectSecurityHeaders(refused)
        // Within the limit: 100 Continue, then the body is read and answered.
        let small = try RawConnection(port: server.port)
        small.send("POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
        let interim = small.read(until: "\r\n\r\n", seconds: 10)
        // /healthz answers without reading the body, so its 200 may follow the 100 at once.
        #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n\r\n"), "\(interim)")
        small.send("a=b&c")
        let rest = small.read(seconds: 10)
        let final = rest.hasPrefix("HTTP/1.1 100 Continue") ? rest : interim + rest
        #expect(final.hasPrefix("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"), "\(final)")
        #expect(final.hasSuffix("\r\n\r\nok\n"))
    }

    @Test(arguments: ["GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Line\r\n\r\n", "NOT AN HTTP REQUEST\r\n\r\n", "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"])
    func aMalformedRequestGets400WithTheSecurityHeaders(request: String) throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let server = try ServeProcess(["petition.json"], in: fixture.folder.url, extra: ["--base-url", "https://sign.example.org"])
        defer { _ = server.terminate() }
        let answer = try RawConnection.exchange(port: server.port, request)
        #expect(answer.statusLine == "HTTP/1.1 400 Bad Request", "\(answer.text)")
        #expect(answer.body.contains("could not be read"))
        expectSecurityHeaders(answer)
        #expect(answer["Strict-Transport-Security"] == "max-age=31536000")
    }

    @Test func strictTransportSecurityOnlyForAnHTTPSAddress() throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let https = try ServeProcess(["petition.json"], in: fixture.folder.url, extra: ["--base-url", "https://sign.example.org"])
        let secure = try RawConnection.exchange(port: https.port, "GET /petition HTTP/1.1\r\nHost: sign.example.org\r\nConnection: close\r\n\r\n")
        #expect(secure["Strict-Transport-Security"] == "max-age=31536000", "\(secure.text)")
        _ = https.terminate()
        let http = try ServeProcess(["petition.json"], in: fixture.folder.url)
        defer { _ = http.terminate() }
        let plain = try RawConnection.exchange(port: http.port, "GET /petition HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        #expect(plain.statusLine == "HTTP/1.1 200 OK")
        #expect(plain["Strict-Transport-Security"] == nil)
    }
}
