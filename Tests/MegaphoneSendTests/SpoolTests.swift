import Foundation
import MegaphoneTestSupport
import Testing

/// The spool: `send` composes each message once, in the check pass, and sends the
/// bytes it checked; the spool goes when nothing is left, stays for a resumed run
/// that still matches it, and is never sent from when it differs.
@Suite struct SpoolTests {
    private func smtp(_ server: SMTPTestServer, _ extra: [String] = []) -> [String] {
        ["--smtp", server.url, "--starttls", "never", "--quiet"] + extra
    }

    /// One spooled message, read the way the README describes the format.
    struct Entry {
        let number: Int
        let hash: String
        let key: String
        let recipients: [String]
        let bytes: [UInt8]
    }

    static func read(_ path: String) throws -> (campaign: String, entries: [Entry], complete: Bool) {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var index = 0
        func line() -> String? {
            guard let end = data[index...].firstIndex(of: 0x0A) else { return nil }
            defer { index = end + 1 }
            return String(decoding: data[index..<end], as: UTF8.self)
        }
        let magic = try #require(line())
        #expect(magic.hasPrefix("megaphone-spool 1 "))
        var entries: [Entry] = []
        while let header = line() {
            if header.hasPrefix("end ") {
                #expect(Int(header.dropFirst(4)) == entries.count)
                return (String(magic.dropFirst(18)), entries, true)
            }
            let fields = header.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let length = try #require(Int(fields[1]))
            entries.append(Entry(number: try #require(Int(fields[0])), hash: fields[2], key: fields[3],
                                 recipients: Array(fields[6...]), bytes: Array(data[index..<(index + length)])))
            #expect(data[index + length] == 0x0A)
            index += length + 1
        }
        return (String(magic.dropFirst(18)), entries, false)
    }

    private func inode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber)?.intValue ?? -1
    }

    @Test func theBytesSentAreTheBytesChecked() throws {
        let server = try SMTPTestServer()
        let fixture = try SendFixture(rows: 12)
        defer { fixture.folder.remove() }
        let result = try CLI.run(["send", "campaign.json", "--connections", "2", "--keep-spool"] + smtp(server), in: fixture.folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Spool: campaign.spool"))
        let spoolPath = fixture.folder.url.appendingPathComponent("campaign.spool").path
        // Whole messages, addresses included: readable by its owner only.
        let mode = try FileManager.default.attributesOfItem(atPath: spoolPath)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let spool = try Self.read(spoolPath)
        #expect(spool.campaign == "send-test")
        #expect(spool.complete)
        #expect(spool.entries.map(\.number) == Array(1...12))
        #expect(spool.entries.allSatisfy { $0.recipients == [$0.key, "campaign@example.org"] })
        // Byte for byte, Date header included: what was checked is what went out.
        let stored = try server.messages()
        #expect(stored.count == 12)
        for entry in spool.entries {
            let sent = try #require(stored.first { $0.toAddress == entry.key })
            #expect(sent.bytes == entry.bytes)
        }
        // Each attempt's hash is the spool's.
        let attempts = try fixture.records().filter { $0["state"] as? String == "attempt" }
        #expect(attempts.count == 12)
        for attempt in attempts {
            let number = try #require(attempt["number"] as? Int)
            #expect(attempt["hash"] as? String == spool.entries[number - 1].hash)
        }
    }

    @Test func theSpoolGoesWhenNothingIsLeft() throws {
        let fixture = try SendFixture(rows: 3)
        defer { fixture.folder.remove() }
        let result = try CLI.run(["send", "campaign.json", "-q"], in: fixture.folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("Spool:"))
        let files = try FileManager.default.contentsOfDirectory(atPath: fixture.folder.url.path)
        #expect(!files.contains { $0.contains("spool") }, "\(files)")
    }

    @Test func aResumedRunReusesAMatchingSpoolAndSendsFromIt() throws {
        let down = try SMTPTestServer(faults: ["data-451:1000"])
        let fixture = try SendFixture(rows: 4)
        defer { fixture.folder.remove() }
        let spoolPath = fixture.folder.url.appendingPathComponent("campaign.spool").path
        let first = try CLI.run(["send", "campaign.json", "--retries", "0"] + smtp(down), in: fixture.folder.url)
        #expect(first.status == 75, "\(first.stderr)")
        #expect(first.stderr.contains("Spool: campaign.spool (the checked messages; the next run checks it against the campaign"))
        let before = try Self.read(spoolPath)
        let node = try inode(spoolPath)

        let up = try SMTPTestServer()
        let second = try CLI.run(["send", "campaign.json", "--keep-spool"] + smtp(up), in: fixture.folder.url)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("kept from an earlier run"))
        #expect(try inode(spoolPath) == node)
        // The earlier run's bytes went out, Date header and all.
        let stored = try up.messages()
        #expect(stored.count == 4)
        for entry in before.entries {
            #expect(stored.first { $0.toAddress == entry.key }?.bytes == entry.bytes)
        }
    }

    @Test func aDamagedSpoolIsNeverSentFrom() throws {
        let down = try SMTPTestServer(faults: ["data-451:1000"])
        let fixture = try SendFixture(rows: 4)
        defer { fixture.folder.remove() }
        let spoolPath = fixture.folder.url.appendingPathComponent("campaign.spool").path
        _ = try CLI.run(["send", "campaign.json", "--retries", "0"] + smtp(down), in: fixture.folder.url)
        // Change one letter inside message 3, keeping every length: only the hash can tell.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: spoolPath)))
        let needle = Array("Dear Person 3".utf8)
        let at = try #require((0...(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle })
        bytes[at] = UInt8(ascii: "F")
        try Data(bytes).write(to: URL(fileURLWithPath: spoolPath))
        let node = try inode(spoolPath)

        let up = try SMTPTestServer()
        let second = try CLI.run(["send", "campaign.json", "--keep-spool"] + smtp(up), in: fixture.folder.url)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(!second.stderr.contains("kept from an earlier run"))
        #expect(try inode(spoolPath) != node)
        let stored = try up.messages()
        #expect(stored.count == 4)
        #expect(stored.allSatisfy { !$0.text.contains("Fear Person") })
        #expect(stored.contains { $0.text.contains("Dear Person 3,") })
        // The new spool holds messages 1 and 2 copied from the earlier one, and 3 and 4 composed again.
        #expect(try Self.read(spoolPath).entries.map(\.number) == [1, 2, 3, 4])
    }

    @Test func aSpoolCutShortIsRebuilt() throws {
        let down = try SMTPTestServer(faults: ["data-451:1000"])
        let fixture = try SendFixture(rows: 3)
        defer { fixture.folder.remove() }
        let spoolPath = fixture.folder.url.appendingPathComponent("campaign.spool").path
        _ = try CLI.run(["send", "campaign.json", "--retries", "0"] + smtp(down), in: fixture.folder.url)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: spoolPath))
        try bytes.prefix(bytes.count - 40).write(to: URL(fileURLWithPath: spoolPath))
        let up = try SMTPTestServer()
        let second = try CLI.run(["send", "campaign.json"] + smtp(up), in: fixture.folder.url)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try up.messages().count == 3)
        #expect(!FileManager.default.fileExists(atPath: spoolPath))
    }

    @Test func aCampaignWithErrorsLeavesNoSpool() throws {
        let fixture = try SendFixture(rows: 3, template: "Subject: Letter\n\nDear {{recipient.nmae}},\n")
        defer { fixture.folder.remove() }
        let result = try CLI.run(["send", "campaign.json", "-q"], in: fixture.folder.url)
        #expect(result.status == 65)
        let files = try FileManager.default.contentsOfDirectory(atPath: fixture.folder.url.path)
        #expect(!files.contains { $0.contains("spool") }, "\(files)")
    }

    @Test func checkSaysHowMuchDiskASendNeeds() throws {
        let fixture = try SendFixture(rows: 3)
        defer { fixture.folder.remove() }
        let result = try CLI.run(["check", "campaign.json"], in: fixture.folder.url)
        #expect(result.status == 0)
        let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("A send spools ") })
        // Three messages of a few hundred bytes each.
        #expect(line.contains(" kB) beside the send log (campaign.spool)"), "\(line)")
    }
}
