import Foundation
import MegaphoneTestSupport
import Testing

/// Idle and slow clients against the built `megaphone serve` on loopback
/// (Tests/Fixtures/slow_clients.py): they are cut off after the timeouts the flags set,
/// connections over a cap are refused at once, and everyone else is still served.
@Suite(.serialized) struct ConnectionLimitTests {
    struct Report: Decodable {
        struct Connection: Decodable {
            let kind: String
            let statuses: [String]
            let text: String
            let closed_after: Double?
        }

        struct Normal: Decodable {
            let statuses: [String]
            let text: String
            let seconds: Double
        }

        let normal: Normal?
        let connections: [Connection]
    }

    func run(_ server: ServeProcess, from source: String, _ kinds: [String], normal: String) throws -> Report {
        let (status, output) = try python("slow_clients.py", ["\(server.port)", source] + kinds + ["--normal", normal, "--wait", "60"])
        #expect(status == 0, "\(output)")
        return try JSONDecoder().decode(Report.self, from: Data(output.utf8))
    }

    @Test func slowAndIdleClientsAreClosedAfterTheTimeoutsAndOthersAreStillServed() throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let timeout = 10.0
        let server = try ServeProcess(["petition.json"], in: fixture.folder.url,
                                      extra: ["--header-timeout", "10s", "--body-timeout", "10s", "--idle-timeout", "10s", "--max-per-client", "200"])
        defer { _ = server.terminate() }
        // 250 connections from one address whose cap is 200.
        let report = try run(server, from: "127.0.0.3", ["nothing=50", "half-line=50", "drip-head=50", "slow-body=50", "idle=50"], normal: "127.0.0.2")

        // Another address is answered at once while the 200 are held.
        let normal = try #require(report.normal)
        #expect(normal.statuses == ["HTTP/1.1 200 OK"], "\(normal.text)")
        #expect(normal.text.hasSuffix("\r\n\r\nok\n"))
        #expect(normal.seconds < timeout / 2)

        // The 50 over the cap: a 503 that says why, and closed well before any timeout.
        let refused = report.connections.filter { $0.statuses.first == "HTTP/1.1 503 Service Unavailable" }
        #expect(refused.count == 50, "\(report.connections.map(\.statuses))\n\(server.log)")
        for connection in refused {
            #expect(connection.text.contains("Too many connections from your address"))
            #expect((connection.closed_after ?? .infinity) < timeout / 2, "\(connection)")
        }

        // The 200 held: each closed by its timeout, not before it, not long after.
        let held = report.connections.filter { $0.statuses.first != "HTTP/1.1 503 Service Unavailable" }
        #expect(held.count == 200)
        for connection in held {
            let closed = try #require(connection.closed_after, "\(connection.kind) still open after 60 s")
            #expect(closed >= timeout - 0.1, "\(connection.kind) closed after \(closed) s, before its timeout")
            #expect(closed < timeout + 30, "\(connection.kind)")
            switch connection.kind {
            case "nothing": #expect(connection.statuses.isEmpty)   // a preconnect is closed without an answer
            case "half-line", "drip-head":
                #expect(connection.statuses == ["HTTP/1.1 408 Request Timeout"], "\(connection)")
                #expect(connection.text.contains("Content-Security-Policy: default-src 'none'"))
            case "slow-body", "idle": #expect(connection.statuses == ["HTTP/1.1 200 OK"], "\(connection)")
            default: Issue.record("unexpected kind \(connection.kind)")
            }
        }
        #expect(try ServeProcess.get(server.base + "/healthz") == "ok\n")
    }

    @Test func connectionsBeyondTheOpenFilesLimitAreRefusedAtOnce() throws {
        let fixture = try WebFixture()
        defer { fixture.folder.remove() }
        let server = try ServeProcess(["petition.json"], in: fixture.folder.url,
                                      extra: ["--header-timeout", "10s", "--max-per-client", "0"], openFiles: 256)
        defer { _ = server.terminate() }
        #expect(server.log.contains("At most 128 connections at once: the open-files limit is 256"), "\(server.log)")
        // More connections than the process has file descriptors for.
        let report = try run(server, from: "127.0.0.3", ["nothing=300"], normal: "127.0.0.2")

        let refused = report.connections.filter { $0.statuses.first == "HTTP/1.1 503 Service Unavailable" }
        // 128 held (one may be the start-up check's kept-alive connection), the rest refused.
        #expect((172...173).contains(refused.count), "\(refused.count) refused\n\(server.log)")
        for connection in refused {
            #expect(connection.text.contains("The server is too busy"))
            #expect((connection.closed_after ?? .infinity) < 5)
        }
        for connection in report.connections where connection.statuses.isEmpty {
            #expect((connection.closed_after ?? 0) >= 9.9)
        }
        // Refused at once too, rather than left waiting for a descriptor.
        let normal = try #require(report.normal)
        #expect(normal.statuses == ["HTTP/1.1 503 Service Unavailable"], "\(normal.text)")
        #expect(normal.seconds < 5)
        // Once the idle ones are closed, everyone is served again.
        #expect(try ServeProcess.get(server.base + "/healthz") == "ok\n")
        #expect(server.process.isRunning)
    }
}
