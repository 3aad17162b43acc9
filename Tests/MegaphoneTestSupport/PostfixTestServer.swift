public import Foundation

/// A private Postfix instance on a free 127.0.0.1 port, accepting mail for
/// example.org and example.com into one Maildir. Needs root (as CI has) and
/// Debian's postfix package; stopped when released.
public final class PostfixTestServer: @unchecked Sendable {
    public let port: Int
    public let folder: URL
    public var maildir: URL { folder.appendingPathComponent("mail/Maildir") }
    public var url: String { "smtp://127.0.0.1:\(port)" }
    private var config: String { folder.appendingPathComponent("conf").path }

    /// The port of the second smtpd (`bouncing` servers), which refuses `refused.example`.
    public private(set) var refusingPort = 0

    /// - Parameter bouncing: also relay mail for `refused.example` to a second smtpd of
    ///   its own that refuses it (550 5.1.1), and for `unreachable.example` to a closed
    ///   port, trying each once (`maximal_queue_lifetime = 0`): Postfix then returns
    ///   real delivery status notifications to the envelope sender, into the Maildir.
    public init(bouncing: Bool = false) throws {
        folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("megaphone-postfix-\(UUID().uuidString.prefix(8))")
        port = Int.random(in: 30_000...39_000)
        let ids = try Self.shell("echo $(id -u postfix) $(id -g postfix)").split(separator: " ").compactMap { Int($0) }
        guard ids.count == 2 else { throw PythonFailure(message: "no postfix user: is Postfix installed? (make test-deps)") }
        let d = folder.path
        refusingPort = port + 1
        var master = try String(contentsOfFile: "/etc/postfix/master.cf", encoding: .utf8)
            .replacingOccurrences(of: "\nsmtp      inet  n       -       y       -       -       smtpd",
                                  with: "\n127.0.0.1:\(port)      inet  n       -       n       -       -       smtpd")
        var main = """
        compatibility_level = 3.6
        queue_directory = \(d)/queue
        data_directory = \(d)/data
        mail_owner = postfix
        setgid_group = postdrop
        myhostname = megaphone-test.example
        mydomain = megaphone-test.example
        mydestination =
        inet_interfaces = 127.0.0.1
        inet_protocols = ipv4
        mynetworks = 127.0.0.0/8
        smtpd_relay_restrictions = permit_mynetworks, reject
        virtual_mailbox_domains = example.org, example.com
        virtual_mailbox_base = \(d)/mail
        virtual_mailbox_maps = static:Maildir/
        virtual_uid_maps = static:\(ids[0])
        virtual_gid_maps = static:\(ids[1])
        virtual_minimum_uid = 100
        maillog_file = /dev/stdout
        alias_maps =
        alias_database =
        message_size_limit = 20000000
        default_process_limit = 20

        """
        try FileManager.default.createDirectory(atPath: "\(d)/conf", withIntermediateDirectories: true)
        if bouncing {
            // A second smtpd, with a hostname of its own (else Postfix sees mail looping back
            // to itself), that refuses refused.example's addresses.
            master += "\n127.0.0.1:\(refusingPort) inet n - n - - smtpd -o myhostname=refuser.example -o smtpd_banner=refuser.example -o smtpd_recipient_restrictions=check_recipient_access,texthash:\(d)/conf/refuse\n"
            try "refused.example 550 5.1.1 no such user here\n".write(toFile: "\(d)/conf/refuse", atomically: true, encoding: .utf8)
            try "refused.example smtp:[127.0.0.1]:\(refusingPort)\nunreachable.example smtp:[127.0.0.1]:1\n"
                .write(toFile: "\(d)/conf/transport", atomically: true, encoding: .utf8)
            main += """
            transport_maps = texthash:\(d)/conf/transport
            maximal_queue_lifetime = 0
            bounce_queue_lifetime = 0
            smtp_connect_timeout = 5s
            queue_run_delay = 1s
            minimal_backoff_time = 1s
            maximal_backoff_time = 2s

            """
        }
        for sub in ["queue", "data", "mail"] { try FileManager.default.createDirectory(atPath: "\(d)/\(sub)", withIntermediateDirectories: true) }
        try master.write(toFile: "\(d)/conf/master.cf", atomically: true, encoding: .utf8)
        try main.write(toFile: "\(d)/conf/main.cf", atomically: true, encoding: .utf8)
        _ = try Self.shell("chmod 755 \(d) && chown postfix \(d)/data \(d)/mail && postfix -c \(d)/conf check && postfix -c \(d)/conf start >\(d)/postfix.log 2>&1")
        // Wait until smtpd answers.
        for _ in 0..<100 {
            if (try? Self.shell("exec 3<>/dev/tcp/127.0.0.1/\(port) && head -c 3 <&3")) == "220" { return }
            usleep(100_000)
        }
        stop()
        throw PythonFailure(message: "Postfix did not start on port \(port); see \(d)/postfix.log")
    }

    deinit { stop() }

    public func stop() {
        _ = try? Self.shell("postfix -c \(folder.path)/conf stop >/dev/null 2>&1; sleep 0.5; pkill -9 -f 'master -c \(folder.path)/conf' || true")
    }

    /// The files delivered into the Maildir so far.
    public func delivered() -> [String] {
        let new = maildir.appendingPathComponent("new").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: new)) ?? []).sorted().map { "\(new)/\($0)" }
    }

    @discardableResult
    public static func shell(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", command]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PythonFailure(message: "command failed: \(command)") }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
