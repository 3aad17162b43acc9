import Foundation
import MegaphoneTestSupport
import Testing

/// A petition too long for a letter's body: its signers go as files (`signers_as`),
/// and a message larger than the campaign may send is an error that says what to do.
@Suite struct SignerFilesTests {
    static let template = """
        Subject: Petition ({{signer_count}} signatures)

        To the Minister,

        We, the undersigned, ask you to act.

        {{#signers_attached}}
        {{signer_count}} people signed; the list is attached.
        {{#signer_places}}
        {{place}}: {{count}}
        {{/signer_places}}
        {{/signers_attached}}
        {{^signers_attached}}
        {{#signers}}
        {{@number}}. {{name | upper}}{{#organisation}}, {{organisation}}{{/organisation}}{{#city}}, {{city}}{{/city}}
        {{/signers}}
        {{/signers_attached}}

        """

    func fixture(signersAs: String? = nil, maxSize: String? = nil, template: String = Self.template) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        let extra = (signersAs.map { #", "signers_as": "\#($0)""# } ?? "") + (maxSize.map { #", "max_message_size": "\#($0)""# } ?? "")
        try folder.write("petition.json", """
            {"name": "petition", "sender": {"name": "Campaign", "address": "campaign@example.org"},
             "template": "petition.txt", "recipients": "targets.csv", "signers": {"store": "data/signatures.sqlite"}, "mode": "joint",
             "page": {"title": "Free the strikers", "fields": ["name", "email", "organisation", "city", "country"]}\(extra)}
            """)
        try folder.write("petition.txt", template)
        try folder.write("targets.csv", "name,email\nMinistry,ministry@example.org\nBoard,board@example.com\n")
        try FileManager.default.createDirectory(atPath: folder.url.appendingPathComponent("data").path, withIntermediateDirectories: true)
        return folder
    }

    /// Imports `count` signers (countries in turn: Kazakhstan, Germany, France, Poland).
    func importSigners(_ count: Int, into folder: TemporaryFolder) async throws {
        let countries = ["Kazakhstan", "Germany", "France", "Poland"]
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var text = "name,email,organisation,city,country\n"
        for number in 0..<count {
            let word = String([letters[number % 26], letters[number / 26 % 26], letters[number / 676 % 26]])
            text += "Signer \(word.capitalized),signer\(number)@example.org,Union \(word),Town \(word),\(countries[number % 4])\n"
        }
        try folder.write("signers.csv", text)
        let imported = try await CLI.runOffPool(["signatures", "petition.json", "--import", "signers.csv"], in: folder.url)
        #expect(imported.status == 0, "\(imported.stderr)")
    }

    struct SignerFiles: Decodable {
        let defects: [String]
        let text: String
        let attachments: [[String]]
        let csv: [[String]]
        let html_rows: Int
        let html: String
    }

    func read(_ file: URL) throws -> SignerFiles {
        let data = try Python.run([CLI.packageRoot.appendingPathComponent("Tests/Fixtures/signer_files.py").path, file.path]).output
        return try JSONDecoder().decode(SignerFiles.self, from: data)
    }

    @Test func aPetitionOfTwoThousandCarriesItsSignersAsACSVAndAPrintableList() async throws {
        let folder = try fixture()
        defer { folder.remove() }
        try await importSigners(2000, into: folder)
        let check = try CLI.run(["check", "petition.json"], in: folder.url)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("2 messages, 0 errors, 0 warnings"), "\(check.stdout)")
        let render = try await CLI.runOffPool(["render", "petition.json", "--out", "out"], in: folder.url)
        #expect(render.status == 0, "\(render.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent("out").path).sorted()
        try #require(files.count == 2)
        let letter = try read(folder.url.appendingPathComponent("out/\(files[0])"))
        #expect(letter.defects.isEmpty)
        // The letter says how many signed and where from; it lists nobody.
        #expect(letter.text.contains("2000 people signed; the list is attached."))
        for country in ["Kazakhstan", "Germany", "France", "Poland"] { #expect(letter.text.contains("\(country): 500")) }
        #expect(!letter.text.contains("SIGNER"))
        #expect(letter.attachments == [["signers.csv", "text/csv"], ["signers.html", "text/html"]])
        // The full list, read back with Python's csv module: numbered, in order, without addresses.
        try #require(letter.csv.count == 2001)
        // The columns are what the letter would have listed (the page's privacy note says so): no country.
        #expect(letter.csv[0] == ["number", "name", "organisation", "city"])
        #expect(letter.csv[1] == ["1", "Signer Aaa", "Union aaa", "Town aaa"])
        #expect(letter.csv[2000] == ["2000", "Signer Xyc", "Union xyc", "Town xyc"])
        #expect(letter.html_rows == 2000)
        #expect(letter.html.contains("<title>Free the strikers</title>"))
        #expect(letter.html.contains("<tr><td class=\"n\">1</td><td>SIGNER AAA</td><td>Union aaa</td><td>Town aaa</td></tr>"))
        let raw = try String(contentsOf: folder.url.appendingPathComponent("out/\(files[0])"), encoding: .utf8)
        #expect(!raw.contains("signer1@example.org") && !letter.csv.flatMap { $0 }.contains { $0.contains("@") })
    }

    @Test func aLetterThatListsAttachedSignersInItsBodyIsAnError() async throws {
        let folder = try fixture(signersAs: "attachment", template: "Subject: Petition ({{signers | count}})\n\nSigned,\n{{#signers}}\n{{name}}\n{{/signers}}\n")
        defer { folder.remove() }
        try await importSigners(3, into: folder)
        let check = try CLI.run(["check", "petition.json"], in: folder.url)
        #expect(check.status == 65)
        #expect((check.stdout + check.stderr).contains("petition.txt:1:22: error: its 3 signers go as files (signers.csv and signers.html), so the letter lists none of them: print {{signer_count}}"), "\(check.stderr)")
        #expect((check.stdout + check.stderr).contains("petition.txt:5:3: error:"))
        let send = try CLI.run(["send", "petition.json", "--smtp", "smtp://127.0.0.1:9", "--starttls", "never"], in: folder.url)
        #expect(send.status == 65, "\(send.stderr)")
    }

    @Test func aMessageOverMaxMessageSizeIsAnErrorBeforeAnythingConnects() async throws {
        let folder = try fixture(signersAs: "body", maxSize: "5 KB")
        defer { folder.remove() }
        try await importSigners(200, into: folder)
        let check = try CLI.run(["check", "petition.json"], in: folder.url)
        #expect(check.status == 65)
        #expect((check.stdout + check.stderr).contains("petition.json: error: message 1 to ministry@example.org would be 7 KB"), "\(check.stderr)")
        #expect((check.stdout + check.stderr).contains(" over the campaign's max_message_size of 5 KB: mail servers commonly refuse more than 10–35 MB (Gmail 25 MB); its 200 signers listed in the body make it that long; give \"signers_as\": \"attachment\""))
        let send = try CLI.run(["send", "petition.json", "--smtp", "smtp://127.0.0.1:9", "--starttls", "never"], in: folder.url)
        #expect(send.status == 65, "\(send.stderr)")
        #expect((send.stdout + send.stderr).contains("over the campaign's max_message_size"))

        // As files, still too large for 5 KB: the error says how to deliver the list instead.
        try folder.write("petition.json", try String(contentsOf: folder.url.appendingPathComponent("petition.json"), encoding: .utf8)
            .replacingOccurrences(of: #""signers_as": "body""#, with: #""signers_as": "attachment""#))
        let attached = try CLI.run(["check", "petition.json"], in: folder.url)
        #expect(attached.status == 65)
        #expect((attached.stdout + attached.stderr).contains("the list of its 200 signers (signers.csv and signers.html) makes it that long; deliver the list another way — `megaphone signatures petition.json --csv`"), "\(attached.stderr)")
        // A server that says at EHLO it takes less than the campaign allows: each
        // larger letter fails with the reason, nothing is uploaded, the log says so.
        let small = try fixture(signersAs: "body")
        defer { small.remove() }
        try await importSigners(200, into: small)
        let server = try SMTPTestServer(sizeLimit: 4000)
        let sent = try await CLI.runOffPool(["send", "petition.json", "--smtp", server.url, "--starttls", "never"], in: small.url)
        #expect(sent.status != 0)
        #expect(try server.messages().isEmpty)
        let log = try CLI.run(["log", "petition.json"], in: small.url)
        #expect(log.stdout.contains("the server takes messages of at most 4000 bytes (EHLO SIZE 4000) and this one is "), "\(log.stdout)\(sent.stderr)")
        let bad = try fixture(maxSize: "a lot")
        defer { bad.remove() }
        let wrong = try CLI.run(["check", "petition.json"], in: bad.url)
        #expect(wrong.status == 65)
        #expect((wrong.stdout + wrong.stderr).contains("petition.json:3:"), "\(wrong.stderr)")
        #expect((wrong.stdout + wrong.stderr).contains("\"max_message_size\" is the largest message to send"))
    }
}
