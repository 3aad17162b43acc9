public import Foundation

/// A private Dovecot IMAP server on a free 127.0.0.1 port, TLS only (imaps, with a
/// throwaway CA), one test user whose password is `password`, the mailbox a Maildir
/// the test fills. Needs root (as CI has) and Debian's dovecot-imapd; stopped when released.
public final class DovecotTestServer: @unchecked Sendable {
    public let port: Int
    public let folder: URL
    public let user = "bounces"
    public let password = "imap-test-password"
    /// The user's INBOX, a Maildir: put messages in `new/`.
    public var maildir: URL { folder.appendingPathComponent("mail/\(user)") }
    /// The CA that signed the server's certificate (for --cacert).
    public var caFile: String { folder.appendingPathComponent("tls/ca.pem").path }
    public var url: String { "imaps://127.0.0.1:\(port)/INBOX" }
    private var process: Process?

    public init() throws {
        folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("megaphone-dovecot-\(UUID().uuidString.prefix(8))")
        port = Int.random(in: 40_000...49_000)
        let d = folder.path
        for sub in ["run", "state", "mail/\(user)/new", "mail/\(user)/cur", "mail/\(user)/tmp", "tls"] {
            try FileManager.default.createDirectory(atPath: "\(d)/\(sub)", withIntermediateDirectories: true)
        }
        try PostfixTestServer.shell("sh \(CLI.packageRoot.path)/Tests/Fixtures/make_test_ca.sh \(d)/tls")
        try "\(user):{PLAIN}\(password)\n".write(toFile: "\(d)/users", atomically: true, encoding: .utf8)
        let config = """
        protocols = imap
        listen = 127.0.0.1
        base_dir = \(d)/run
        state_dir = \(d)/state
        log_path = \(d)/dovecot.log
        ssl = required
        ssl_cert = <\(d)/tls/server.pem
        ssl_key = <\(d)/tls/server.key
        auth_mechanisms = plain login
        disable_plaintext_auth = yes
        first_valid_uid = 1
        mail_location = maildir:\(d)/mail/%u
        passdb {
          driver = passwd-file
          args = \(d)/users
        }
        userdb {
          driver = static
          args = uid=nobody gid=nogroup home=\(d)/mail/%u
        }
        service imap-login {
          inet_listener imap {
            port = 0
          }
          inet_listener imaps {
            address = 127.0.0.1
            port = \(port)
            ssl = yes
          }
        }
        service anvil {
          chroot =
        }
        service imap-login {
          chroot =
        }

        """
        try config.write(toFile: "\(d)/dovecot.conf", atomically: true, encoding: .utf8)
        try PostfixTestServer.shell("chmod 755 \(d) && chown -R nobody:nogroup \(d)/mail && chmod 644 \(d)/users")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/dovecot")
        process.arguments = ["-F", "-c", "\(d)/dovecot.conf"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        for _ in 0..<100 {
            if (try? PostfixTestServer.shell("exec 3<>/dev/tcp/127.0.0.1/\(port) && echo open")) == "open" { return }
            usleep(100_000)
        }
        stop()
        throw PythonFailure(message: "Dovecot did not start on port \(port); see \(d)/dovecot.log")
    }

    deinit { stop() }

    /// Puts a message in the INBOX, as delivery would (owned by the mail user).
    public func deliver(_ bytes: [UInt8], name: String) throws {
        let file = maildir.appendingPathComponent("new/\(name)")
        try Data(bytes).write(to: file)
        try PostfixTestServer.shell("chown nobody:nogroup '\(file.path)'")
    }

    /// The flags of every message in the Maildir (the `:2,FLAGS` part of cur/ names; new/ has none).
    public func flags() -> [String] {
        var result: [String] = []
        for sub in ["new", "cur"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: maildir.appendingPathComponent(sub).path)) ?? []
            result += names.map { name in name.components(separatedBy: ":2,").dropFirst().first ?? "" }
        }
        return result
    }

    /// Stops the master and every process it started (auth, anvil, log, …), which do
    /// not always heed SIGTERM promptly.
    public func stop() {
        guard let process else { return }
        self.process = nil
        let pid = process.processIdentifier
        _ = try? PostfixTestServer.shell("pkill -9 -P \(pid) || true; kill -9 \(pid) 2>/dev/null || true")
        process.waitUntilExit()
    }
}
