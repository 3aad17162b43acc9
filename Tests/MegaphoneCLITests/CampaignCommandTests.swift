import Foundation
import MegaphoneTestSupport
import Testing

@Suite struct CampaignCommandTests {
    static let campaigns = ["embassy-protest-csv", "press-release", "solidarity", "petition-csv"]

    @Test(arguments: campaigns)
    func checkPassesOnEverySample(name: String) throws {
        let result = try CLI.run(["check", "campaigns/\(name).json"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasSuffix(" 0 errors, 0 warnings\n"))
        #expect(!result.stdout.contains("error:"))
    }

    @Test func checkOnABrokenCopyListsEveryProblem() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("c.json", """
        {"name": "broken", "sender": {"name": "C", "address": "c@example.org"},
         "template": "t.txt", "recipients": "r.csv", "mode": "each-recipient"}
        """)
        try folder.write("t.txt", "Subject: Hi {{recipient.nmae}}\n\nDear {{ recipient.name | uper }},\n")
        try folder.write("r.csv", "name,email\nAna,ana@example.org\nBo,bo@example\n")
        let result = try CLI.run(["check", "c.json"], in: folder.url)
        #expect(result.status == 65)
        #expect(result.stdout == """
        t.txt:3:26: error: unknown filter 'uper' (did you mean 'upper'?); the filters are upper, lower, capitalize, title, trim, default, join, date, count, pick, plural
        Dear {{ recipient.name | uper }},
                                 ^
        0 messages, 1 error, 0 warnings

        """)
        try folder.write("t.txt", "Subject: Hi {{recipient.nmae}}\n\nDear {{ recipient.name | upper }},\n")
        let second = try CLI.run(["check", "c.json"], in: folder.url)
        #expect(second.status == 65)
        #expect(second.stdout == """
        t.txt:1:15: error: no value for 'recipient.nmae'; add it to the data, or write {{recipient.nmae | default: "…"}} to allow a blank
        Subject: Hi {{recipient.nmae}}
                      ^
        r.csv:3: error: the address 'bo@example' has a domain without a dot; write the full domain, as in example.org (column 'email')
        2 messages, 2 errors, 0 warnings

        """)
    }

    @Test func checkRefusesACampaignNamedAfterAServerRouteAtTheNamesPosition() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("t.txt", "Subject: Hi\n\nDear {{recipient.name}},\n")
        try folder.write("r.csv", "name,email\nAna,ana@example.org\n")
        for (name, fix) in [("u", "as in \"u-campaign\""), ("Strike Fund", "write \"strike-fund\"")] {
            try folder.write("c.json", """
            {"mode": "each-recipient",
             "name": "\(name)", "sender": {"name": "C", "address": "c@example.org"}, "template": "t.txt", "recipients": "r.csv"}
            """)
            let result = try CLI.run(["check", "c.json"], in: folder.url)
            #expect(result.status == 65, "\(result.stdout)")
            #expect(result.stdout.hasPrefix("c.json:2:10: error: \"name\" "), "\(result.stdout)")
            #expect(result.stdout.contains("\(fix)\n \"name\": \"\(name)\", \"sender\""), "\(result.stdout)")
            #expect(result.stdout.contains("\n         ^\n"))
            #expect(result.stdout.hasSuffix("0 messages, 1 error, 0 warnings\n"))
        }
    }

    @Test func checkOnAMissingCampaignExits66() throws {
        let result = try CLI.run(["check", "campaigns/nope.json"])
        #expect(result.status == 66)
        #expect(result.stdout.hasPrefix("campaigns/nope.json: error: no such campaign file; check the path\n"))
    }

    @Test func previewPrintsOneMessageAndTheEnvelope() throws {
        let result = try CLI.run(["preview", "campaigns/embassy-protest-csv.json", "--number", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\r\nFrom: Jonas Weber via Campaign Kazakhstan <campaign@example.org>\r\n"))
        #expect(result.stdout.contains("\r\nTo: Embassy of the Republic of Kazakhstan in London\r\n <embassy-london@example.org>\r\n"))
        #expect(result.stderr == "Message 2 · MAIL FROM:<campaign@example.org> · RCPT TO:<embassy-london@example.org>, <campaign@example.org>\n")
        let byAddress = try CLI.run(["preview", "campaigns/press-release.json", "--to", "samuel@example.com"])
        #expect(byAddress.stdout.contains("\r\nTo: Samuel Osei <samuel@example.com>\r\n"))
        let none = try CLI.run(["preview", "campaigns/press-release.json", "--number", "99"])
        #expect(none.status == 65)
        #expect(none.stderr == "megaphone: the campaign has no message 99; run 'megaphone check campaigns/press-release.json' to see every message\n")
    }

    @Test func renderToEMLFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let out = folder.url.appendingPathComponent("eml").path
        let result = try CLI.run(["render", "campaigns/press-release.json", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "Rendered 4 messages to \(out)\n")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == ["00001-hannah-clarke-example-com.eml", "00002-l-brandt-example-com.eml",
                          "00003-opetrova-example-com.eml", "00004-samuel-example-com.eml"])
        let parsed = try PythonEmail.parse(files.map { "\(out)/\($0)" })
        #expect(parsed.allSatisfy { $0.defects.isEmpty })
    }

    @Test func renderToMboxAndMaildir() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let mbox = folder.url.appendingPathComponent("all.mbox").path
        let result = try CLI.run(["render", "campaigns/embassy-protest-csv.json", "--mbox=\(mbox)", "--limit", "5"])
        #expect(result.status == 0, "\(result.stderr)")
        let fromMbox = try PythonEmail.parse(["--mbox", mbox])
        #expect(fromMbox.count == 5)
        #expect(fromMbox.allSatisfy { $0.defects.isEmpty })
        let maildir = folder.url.appendingPathComponent("Maildir").path
        let second = try CLI.run(["render", "campaigns/petition-csv.json", "--maildir", maildir])
        #expect(second.status == 0, "\(second.stderr)")
        let fromMaildir = try PythonEmail.parse(["--maildir", maildir])
        #expect(fromMaildir.count == 3)
        #expect(fromMaildir.allSatisfy { $0.defects.isEmpty && $0.text?.contains("4. FATIMA ZAHRA EL IDRISSI, Amnesty group 112, Lyon") == true })
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(maildir)/tmp").isEmpty)
    }

    @Test func renderWithAnErrorWritesNothing() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("c.json", """
        {"name": "x", "sender": {"name": "C", "address": "c@example.org"},
         "template": "t.txt", "recipients": "r.csv", "mode": "each-recipient"}
        """)
        try folder.write("t.txt", "Subject: Hi\n\nDear {{recipient.title}} {{recipient.name}},\n")
        try folder.write("r.csv", "name,email,title\nAna,ana@example.org,Ms\nBo,bo@example.org\n")
        let result = try CLI.run(["render", "c.json", "--out", "out", "--", ], in: folder.url)
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("r.csv:3: error: this row has 2 fields but the first row names 3 columns\n"))
        #expect(result.stderr.hasSuffix("megaphone: nothing was written: 1 error; fix them and run again ('megaphone check c.json' lists them all)\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent("out").path).isEmpty)
        let mbox = try CLI.run(["render", "c.json", "--mbox", "x.mbox"], in: folder.url)
        #expect(mbox.status == 65)
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("x.mbox").path))
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("x.mbox.megaphone-partial").path))
    }

    @Test func renderNeedsExactlyOneOutput() throws {
        let none = try CLI.run(["render", "campaigns/petition-csv.json"])
        #expect(none.status == 64)
        #expect(none.stderr.hasPrefix("Error: Say where to write: --out, --mbox or --maildir\nUsage: megaphone render <campaign> (--out <dir> | --mbox <file> | --maildir <dir>) [--limit <n>]\n"))
        let two = try CLI.run(["render", "campaigns/petition-csv.json", "--out", "a", "--mbox", "b"])
        #expect(two.status == 64)
    }
}
