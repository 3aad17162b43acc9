public import Foundation

/// A real SMTP server for tests: Debian's aiosmtpd running `Tests/Fixtures/smtp_server.py`
/// on a free 127.0.0.1 port, with optional TLS, AUTH and faults. Stops when released.
public final class SMTPTestServer: @unchecked Sendable {
    /// One message the server accepted.
    public struct Stored: Decodable, Sendable {
        public let mail_from: String
        public let rcpt_tos: [String]
        public let data: String
        public let auth: AnyAuth?
        public let tls: Bool

        public var bytes: [UInt8] { Data(base64Encoded: data).map { [UInt8]($0) } ?? [] }
        public var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// aiosmtpd reports `authenticated` as a bool or leaves it out.
    public enum AnyAuth: Decodable, Sendable {
        case flag(Bool)
        case other
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            self = (try? container.decode(Bool.self)).map(AnyAuth.flag) ?? .other
        }
    }

    public let port: Int
    public let store: URL
    private let process: Process

    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// - Parameter sizeLimit: the largest message the server takes, advertised as EHLO SIZE.
    public init(faults: [String] = [], starttls: TestCertificates? = nil, smtps: TestCertificates? = nil,
                auth: String? = nil, sizeLimit: Int? = nil) throws {
        store = FileManager.default.temporaryDirectory.appendingPathComponent("megaphone-smtp-\(UUID().uuidString)")
        var arguments = [CLI.packageRoot.appendingPathComponent("Tests/Fixtures/smtp_server.py").path, "--store", store.path]
        for fault in faults { arguments += ["--fault", fault] }
        if let starttls { arguments += ["--starttls", starttls.certificate, starttls.key] }
        if let smtps { arguments += ["--smtps", smtps.certificate, smtps.key] }
        if let auth { arguments += ["--auth", auth] }
        if let sizeLimit { arguments += ["--size-limit", String(sizeLimit)] }
        process = Process()
        process.executableURL = URL(fileURLWithPath: PythonEmail.python)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        try process.run()
        // Wait for "READY <port>".
        var line = Data()
        let handle = out.fileHandleForReading
        while !line.contains(10) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6)) else {
            process.terminate()
            throw PythonFailure(message: "the test SMTP server did not start (is python3-aiosmtpd installed? run make test-deps): \(text)")
        }
        self.port = port
    }

    deinit { stop() }

    /// Kills the server (SIGKILL: a test runner may hand its children SIGTERM ignored).
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Every message stored so far, in the order the server accepted them.
    public func messages() throws -> [Stored] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: store.path)) ?? []
        return try files.filter { $0.hasSuffix(".json") }.sorted().map { name in
            try JSONDecoder().decode(Stored.self, from: Data(contentsOf: store.appendingPathComponent(name)))
        }
    }
}

/// A throwaway CA and a server certificate for 127.0.0.1, made with openssl.
public struct TestCertificates: Sendable {
    public let folder: URL
    public var caFile: String { folder.appendingPathComponent("ca.pem").path }
    public var certificate: String { folder.appendingPathComponent("server.pem").path }
    public var key: String { folder.appendingPathComponent("server.key").path }

    public static let shared: Result<TestCertificates, PythonFailure> = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("megaphone-ca-\(getpid())")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [CLI.packageRoot.appendingPathComponent("Tests/Fixtures/make_test_ca.sh").path, folder.path]
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return .failure(PythonFailure(message: "cannot run make_test_ca.sh: \(error)"))
        }
        guard process.terminationStatus == 0 else { return .failure(PythonFailure(message: "make_test_ca.sh failed; is openssl installed?")) }
        return .success(TestCertificates(folder: folder))
    }()
}
