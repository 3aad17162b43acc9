import Foundation
import MegaphoneDelivery
import MegaphoneTestSupport
import Testing

private func message(_ subject: String = "Test", size: Int = 0) -> [UInt8] {
    var text = "From: Campaign <campaign@example.org>\r\nTo: a@example.org\r\nSubject: \(subject)\r\nMessage-ID: <\(UUID().uuidString)@example.org>\r\n\r\nHello.\r\n.leading dot stays\r\n"
    if size > 0 {
        let line = String(repeating: "x", count: 76) + "\r\n"
        text += String(repeating: line, count: size / line.utf8.count + 1)
    }
    return Array(text.utf8)
}

private func plain(_ server: SMTPTestServer, timeout: Int = 30) throws -> SMTPConnection {
    var settings = SMTPSettings(url: server.url)
    settings.startTLS = .never
    settings.responseTimeout = timeout
    settings.connectTimeout = timeout
    return try SMTPConnection(settings: settings)
}

private func certificates() throws -> TestCertificates { try TestCertificates.shared.get() }

@Suite struct SMTPConnectionTests {
    @Test func plainDeliveryStoresExactBytesOnceAndReusesTheConnection() throws {
        let server = try SMTPTestServer()
        let connection = try plain(server)
        try connection.verify()
        var opened: [Int] = []
        var sent: [[UInt8]] = []
        for index in 0..<3 {
            let bytes = message("Message \(index)")
            sent.append(bytes)
            guard case .success(.sent(let reply, let refused)) = connection.send(from: "bounce@example.org", recipients: ["a@example.org", "b@example.org"], bytes: bytes) else {
                Issue.record("message \(index) not sent")
                return
            }
            #expect(reply?.code == 250)
            #expect(reply?.text.hasPrefix("Ok: queued as") == true)
            #expect(refused.isEmpty)
            opened.append(connection.connectionsOpenedByLastTransfer)
        }
        let stored = try server.messages()
        #expect(stored.map(\.bytes) == sent)
        #expect(stored.allSatisfy { $0.mail_from == "bounce@example.org" && $0.rcpt_tos == ["a@example.org", "b@example.org"] })
        #expect(opened == [0, 0, 0], "the NOOP check opened the connection; every message reused it")
    }

    @Test func startTLSWithTheTestCA() throws {
        let certs = try certificates()
        let server = try SMTPTestServer(starttls: certs)
        var settings = SMTPSettings(url: "smtp://localhost:\(server.port)")
        settings.caFile = certs.caFile
        let connection = try SMTPConnection(settings: settings)
        try connection.verify()
        guard case .success(.sent) = connection.send(from: "c@example.org", recipients: ["a@example.org"], bytes: message()) else {
            Issue.record("not sent over STARTTLS")
            return
        }
        #expect(try server.messages().map(\.tls) == [true])
    }

    @Test func untrustedCertificateStopsBeforeAnythingIsSent() throws {
        let certs = try certificates()
        let server = try SMTPTestServer(starttls: certs)
        let connection = try SMTPConnection(settings: SMTPSettings(url: "smtp://localhost:\(server.port)"))
        let error = #expect(throws: DeliveryError.self) { try connection.verify() }
        #expect(error?.kind == .configuration)
        #expect(error?.message.hasPrefix("TLS failed:") == true)
        #expect(try server.messages().isEmpty)
    }

    @Test func insecureSkipsTheCheck() throws {
        let certs = try certificates()
        let server = try SMTPTestServer(starttls: certs)
        var settings = SMTPSettings(url: "smtp://localhost:\(server.port)")
        settings.insecure = true
        let connection = try SMTPConnection(settings: settings)
        try connection.verify()
        guard case .success(.sent) = connection.send(from: "c@example.org", recipients: ["a@example.org"], bytes: message()) else {
            Issue.record("not sent")
            return
        }
    }

    @Test func requiredTLSRefusesAPlainServer() throws {
        let server = try SMTPTestServer()
        let connection = try SMTPConnection(settings: SMTPSettings(url: server.url))
        let error = #expect(throws: DeliveryError.self) { try connection.verify() }
        #expect(error?.message.contains("does not offer STARTTLS") == true)
        #expect(try server.messages().isEmpty)
    }

    @Test func implicitTLS() throws {
        let certs = try certificates()
        let server = try SMTPTestServer(smtps: certs)
        var settings = SMTPSettings(url: "smtps://localhost:\(server.port)")
        settings.caFile = certs.caFile
        let connection = try SMTPConnection(settings: settings)
        try connection.verify()
        guard case .success(.sent) = connection.send(from: "c@example.org", recipients: ["a@example.org"], bytes: message()) else {
            Issue.record("not sent over SMTPS")
            return
        }
        #expect(try server.messages().map(\.tls) == [true])
    }

    @Test(arguments: ["AUTH=PLAIN", "AUTH=LOGIN"])
    func authenticates(mechanism: String) throws {
        let certs = try certificates()
        let server = try SMTPTestServer(starttls: certs, auth: "organiser:s3cret pass")
        var settings = SMTPSettings(url: "smtp://localhost:\(server.port)")
        settings.caFile = certs.caFile
        settings.user = "organiser"
        settings.password = "s3cret pass"
        settings.loginOptions = mechanism
        let connection = try SMTPConnection(settings: settings)
        try connection.verify()
        guard case .success(.sent) = connection.send(from: "c@example.org", recipients: ["a@example.org"], bytes: message()) else {
            Issue.record("not sent with \(mechanism)")
            return
        }
        #expect(try server.messages().count == 1)
    }

    @Test func wrongPasswordStopsTheRunAndNeverShowsThePassword() throws {
        let certs = try certificates()
        let server = try SMTPTestServer(starttls: certs, auth: "organiser:right")
        var settings = SMTPSettings(url: "smtp://localhost:\(server.port)")
        settings.caFile = certs.caFile
        settings.user = "organiser"
        settings.password = "wrong-password-123"
        let connection = try SMTPConnection(settings: settings)
        let error = #expect(throws: DeliveryError.self) { try connection.verify() }
        #expect(error?.kind == .configuration)
        #expect(error?.message.hasPrefix("the server refused the login: 535") == true)
        #expect(error?.message.contains("wrong-password-123") == false)
    }

    @Test func credentialsWithoutAuthOfferedAreRefused() throws {
        let server = try SMTPTestServer()
        var settings = SMTPSettings(url: server.url)
        settings.startTLS = .never
        settings.user = "organiser"
        settings.password = "secret"
        let connection = try SMTPConnection(settings: settings)
        let error = #expect(throws: DeliveryError.self) { try connection.verify() }
        #expect(error?.message.contains("offers no AUTH") == true)
    }

    @Test(arguments: [
        ("connect-421", "421"), ("mail-451:5", "451"), ("rcpt-451:5", "451"), ("data-451:5", "451"),
    ])
    func temporaryFailures(fault: String, code: String) throws {
        let server = try SMTPTestServer(faults: [fault])
        let connection = try plain(server)
        try connection.verify()
        guard case .success(.temporary(let reply, _)) = connection.send(from: "c@example.org", recipients: ["a@example.org"], bytes: message()) else {
            Issue.record("\(fault) was not a temporary failure")
            return
        }
        #expect(reply.map { String($0.code) } == code)
        #expect(try server.messages().isEmpty)
    }

    @Test func oneRefusedRecipientAmongThree() throws {
        let server = try SMTPTestServer(faults: ["rcpt-550:gone@example.org"])
        let connection = try plain(server)
        guard case .success(.sent(_, let refused)) = connection.send(from: "c@example.org", recipients: ["a@example.org", "gone@example.org", "b@example.org"], bytes: message()) else {
            Issue.record("not sent to the other two")
            return
        }
        #expect(refused.map(\.recipient) == ["gone@example.org"])
        #expect(refused.first?.reply.code == 550)
        #expect(refused.first?.reply.enhanced == "5.1.1")
        #expect(try server.messages().map(\.rcpt_tos) == [["a@example.org", "b@example.org"]])
    }

    @Test func messageTooBigIsPermanent() throws {
        let server = try SMTPTestServer(faults: ["data-552"])
        let connection = try plain(server)
        guard case .success(.permanent(let reply, _)) = connection.send(from: "c@example.org", recipients: ["a@example.org"], bytes: message()) else {
            Issue.record("552 was not permanent")
            return
        }
        #expect(reply?.code == 552)
        #expect(reply?.enhanced == "5.3.4")
    }

    @Test func senderRefusedOrPolicyStopsTheRun() throws {
        for fault in ["mail-550", "mail-421-47"] {
            let server = try SMTPTestServer(faults: [fault])
            let connection = try plain(server)
            guard case .failure(let error) = connection.send(from: "c@example.org", recipients: ["a@example.org"], bytes: message()) else {
                Issue.record("\(fault) did not stop the run")
                continue
            }
            #expect(error.kind == .unavailable)
        }
    }

    @Test func droppedMidDataIsRetriedSafely() throws {
        let server = try SMTPTestServer(faults: ["drop-mid-data:1"])
        let connection = try plain(server)
        let bytes = message(size: 8_000_000)
        guard case .success(.temporary) = connection.send(from: "c@example.org", recipients: ["a@example.org"], bytes: bytes) else {
            Issue.record("a drop mid-DATA was not a safe temporary failure")
            return
        }
        #expect(try server.messages().isEmpty)
        guard case .success(.sent) = connection.send(from: "c@example.org", recipients: ["a@example.org"], bytes: bytes) else {
            Issue.record("the retry was not sent")
            return
        }
        #expect(try server.messages().map(\.bytes) == [bytes])
    }

    @Test func noReplyAfterTheFinalDotIsUncertain() throws {
        let server = try SMTPTestServer(faults: ["stall-after-data:6"])
        let connection = try plain(server, timeout: 2)
        guard case .success(.uncertain) = connection.send(from: "c@example.org", recipients: ["a@example.org"], bytes: message()) else {
            Issue.record("a stall after the dot was not uncertain")
            return
        }
        #expect(try server.messages().count == 1, "the server has it: sending again would duplicate it")
    }

    @Test func stalledGreetingIsTemporary() throws {
        let server = try SMTPTestServer(faults: ["stall-greeting"])
        let connection = try plain(server, timeout: 1)
        guard case .success(.temporary) = connection.send(from: "c@example.org", recipients: ["a@example.org"], bytes: message()) else {
            Issue.record("a silent server was not a temporary failure")
            return
        }
    }

    @Test func theFinalDotWaitsForTheCallerAndCanBeWithheld() throws {
        let server = try SMTPTestServer()
        let connection = try plain(server)
        final class Calls: @unchecked Sendable { var count = 0 }
        let calls = Calls()
        guard case .success(.temporary(_, let reason)) = connection.send(from: "c@example.org", recipients: ["a@example.org"], bytes: message(size: 200_000),
                                                                         beforeFinalDot: { calls.count += 1; return false }) else {
            Issue.record("a withheld final dot did not end as a safe temporary failure")
            return
        }
        #expect(reason == "abandoned before the final dot")
        #expect(calls.count == 1)
        #expect(try server.messages().isEmpty, "without the final dot the server must not have the message")
        guard case .success(.sent) = connection.send(from: "c@example.org", recipients: ["a@example.org"], bytes: message(), beforeFinalDot: { calls.count += 1; return true }) else {
            Issue.record("not sent")
            return
        }
        #expect(calls.count == 2)
        #expect(try server.messages().count == 1)
    }

    @Test func lineBreaksInEnvelopeAddressesNeverReachTheServer() throws {
        let server = try SMTPTestServer()
        let connection = try plain(server)
        for (from, to) in [("c@example.org\r\nRCPT TO:<evil@example.org>", "a@example.org"), ("c@example.org", "a@example.org>\r\nDATA"), ("c@example.org", "a@example.org\0")] {
            guard case .success(.permanent) = connection.send(from: from, recipients: [to], bytes: message()) else {
                Issue.record("an address with a line break was not refused")
                continue
            }
        }
        #expect(try server.messages().isEmpty)
    }
}
