import Foundation
import MegaphoneTestSupport
import Testing

/// `megaphone signatures --import`, `--recount` and the streamed exports, through the built binary.
@Suite struct SignatureImportTests {
    static let campaign = """
        {"name": "petition", "sender": {"name": "Campaign", "address": "campaign@example.org"},
         "template": "petition.txt", "recipients": "targets.csv", "signers": {"store": "data/signatures.sqlite"}, "mode": "joint",
         "page": {"title": "Sign", "fields": ["name", "email", "organisation", "city"], "required": ["city"]}}
        """

    func fixture() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write("petition.json", Self.campaign)
        try folder.write("petition.txt", "Subject: Petition\n\nWe, the undersigned:\n{{#signers}}\n{{@number}}. {{name}}\n{{/signers}}\n")
        try folder.write("targets.csv", "name,email\nMinistry,ministry@example.org\n")
        try FileManager.default.createDirectory(atPath: folder.url.appendingPathComponent("data").path, withIntermediateDirectories: true)
        return folder
    }

    @Test func everyWrongRowIsNamedByRowAndColumnAndNothingIsStored() throws {
        let folder = try fixture()
        defer { folder.remove() }
        try folder.write("in.csv", """
            name,email,city,signed_on
            Ana Lopez,ana@example.org,Leeds,2026-01-01
            B4d Name,bad@example.org,Leeds,2026-01-01
            Chen Wei,chen-at-example.org,York,2026-01-01
            Dana Roe,dana@example.org,,2026-01-01
            ANA LOPEZ,ANA@example.org,Leeds,2026-01-02

            """)
        let refused = try CLI.run(["signatures", "petition.json", "--import", "in.csv"], in: folder.url)
        #expect(refused.status == 65, "\(refused.stderr)")
        #expect(refused.stderr.contains("in.csv:3: error: row 2, column 1 ('name'): the name 'B4d Name' is not a name written with letters"))
        #expect(refused.stderr.contains("in.csv:4: error: row 3, column 2 ('email'): the email 'chen-at-example.org' has no '@'"))
        #expect(refused.stderr.contains("in.csv:5: error: row 4, column 3 ('city'): the city '' is empty; it must be filled in"))
        #expect(refused.stderr.contains("columns not among the page's fields were not kept: signed_on"))
        #expect(refused.stderr.contains("Nothing was imported: 3 rows are wrong"))
        let list = try CLI.run(["signatures", "petition.json"], in: folder.url)
        #expect(list.stdout.hasPrefix("petition: 0 pending, 0 confirmed, 0 quarantined, 0 withdrawn\n"), "\(list.stdout)")

        let skipped = try CLI.run(["signatures", "petition.json", "--import", "in.csv", "--source", "paper", "--skip-invalid", "refused.csv"], in: folder.url)
        #expect(skipped.status == 0, "\(skipped.stderr)")
        #expect(skipped.stdout.contains("Imported 1 signature into petition as confirmed (source: paper), 1 skipped (the address had signed already); 3 refused"))
        let rows = try String(contentsOf: folder.url.appendingPathComponent("refused.csv"), encoding: .utf8)
        #expect(rows.hasPrefix("name,email,city,signed_on,line,reason\r\nB4d Name,bad@example.org,Leeds,2026-01-01,3,\"name: is not a name"))
        #expect(rows.components(separatedBy: "\r\n").count == 5)   // header, 3 rows, the end
        let again = try CLI.run(["signatures", "petition.json", "--import", "in.csv", "--skip-invalid", "refused.csv"], in: folder.url)
        #expect(again.stdout.contains("Imported 0 signatures into petition as confirmed (source: import), 2 skipped"), "\(again.stdout)")
        let usage = try CLI.run(["signatures", "petition.json", "--source", "paper"], in: folder.url)
        #expect(usage.status == 64)
        let missing = try CLI.run(["signatures", "petition.json", "--import", "nowhere.csv"], in: folder.url)
        #expect(missing.status == 66, "\(missing.stderr)")
    }

    @Test func aDamagedCountIsFoundAndRebuiltByRecount() throws {
        let folder = try fixture()
        defer { folder.remove() }
        try folder.write("in.csv", "name,email,city\nAna Lopez,ana@example.org,Leeds\nBen Ode,ben@example.org,York\n")
        #expect(try CLI.run(["signatures", "petition.json", "--import", "in.csv"], in: folder.url).status == 0)
        let right = try CLI.run(["signatures", "petition.json", "--recount"], in: folder.url)
        #expect(right.stdout == "petition: the kept counts were right (0 pending, 2 confirmed, 0 quarantined, 0 withdrawn).\n")
        // Damage the kept count behind the store's back (SQLite through Python, not Megaphone).
        _ = try Python.run(["-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE signature_count SET signatures = 7 WHERE state = 'confirmed'\"); c.commit()",
                            folder.url.appendingPathComponent("data/signatures.sqlite").path])
        #expect(try CLI.run(["signatures", "petition.json"], in: folder.url).stdout.hasPrefix("petition: 0 pending, 7 confirmed"))
        let rebuilt = try CLI.run(["signatures", "petition.json", "--recount"], in: folder.url)
        #expect(rebuilt.stdout == "petition: the kept counts were wrong and are rebuilt from the signatures: 0 pending, 2 confirmed, 0 quarantined, 0 withdrawn (they said 7 confirmed).\n")
        #expect(try CLI.run(["signatures", "petition.json"], in: folder.url).stdout.hasPrefix("petition: 0 pending, 2 confirmed"))
    }

    /// A store made before the kept counts (schema v1, written by Python's sqlite3):
    /// `check` and a listing read it as it is — its schema is not upgraded, the counts
    /// come from the rows — and only an action that writes brings it up to date.
    /// (GRDB's pool still primes an empty WAL file with a table created and dropped on
    /// open, so the file's bytes change: the store's own schema does not.)
    @Test func checkAndAListingNeverUpgradeAnOlderStore() throws {
        let folder = try fixture()
        defer { folder.remove() }
        let store = folder.url.appendingPathComponent("data/signatures.sqlite").path
        func python(_ arguments: [String]) throws -> String {
            String(decoding: try Python.run(arguments).output, as: UTF8.self)
        }
        _ = try python([CLI.packageRoot.appendingPathComponent("Tests/Fixtures/v1_store.py").path, store])
        let tables = "import sqlite3, sys; print(sorted(r[0] for r in sqlite3.connect(sys.argv[1]).execute(\"SELECT name FROM sqlite_master\")))"
        let before = try python(["-c", tables, store])
        #expect(before.contains("signature_by_state"))
        let check = try CLI.run(["check", "petition.json"], in: folder.url)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("1 message, 0 errors"), "\(check.stdout)")
        let list = try CLI.run(["signatures", "petition.json"], in: folder.url)
        #expect(list.stdout.hasPrefix("petition: 1 pending, 2 confirmed, 0 quarantined, 0 withdrawn\n"), "\(list.stdout)\(list.stderr)")
        #expect(try python(["-c", tables, store]) == before)
        #expect(!before.contains("signature_count"))
        // An action that writes may upgrade: the recount adds the kept counts, from the rows.
        let recount = try CLI.run(["signatures", "petition.json", "--recount"], in: folder.url)
        #expect(recount.stdout.contains("1 pending, 2 confirmed"), "\(recount.stdout)\(recount.stderr)")
        #expect(try python(["-c", tables, store]).contains("signature_count"))
    }

    /// A store of 250,000 signatures made by --import; both exports read it back in full,
    /// and check and render read it as a joint petition, each with its peak memory
    /// (getrusage of the child, via Python) under 100 MB.
    @Test func exportsCheckAndRenderOfAQuarterMillionSignaturesStreamWithFlatMemory() async throws {
        let folder = try fixture()
        defer { folder.remove() }
        let count = 250_000
        var text = "name,email,organisation,city\n"
        text.reserveCapacity(count * 60)
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        for number in 0..<count {
            var word = ""
            var rest = number
            for _ in 0..<4 {
                word.append(letters[rest % 26])
                rest /= 26
            }
            text += "Signer \(word.capitalized),signer\(number)@example.org,Union \(number % 40),Town \(word)\n"
        }
        try folder.write("big.csv", text)
        let imported = try await CLI.runOffPool(["signatures", "petition.json", "--import", "big.csv"], in: folder.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.hasPrefix("Imported 250000 signatures into petition as confirmed"))
        for format in ["--csv", "--json"] {
            let url = folder.url
            let measured = try await CLI.offPool { try Self.peakMemory(["signatures", "petition.json", format], in: url, output: "export\(format)") }
            #expect(measured.status == 0)
            #expect(measured.peakKB < 100_000, "\(format) peaked at \(measured.peakKB) KB")
            let exported = try String(contentsOf: folder.url.appendingPathComponent("export\(format)"), encoding: .utf8)
            let lines = exported.split(separator: format == "--csv" ? "\r\n" : "\n")
            try #require(lines.count == count + (format == "--csv" ? 1 : 0))
            if format == "--csv" {
                #expect(lines[1].hasPrefix("1,Signer Aaaa,signer0@example.org,Union 0,Town aaaa,confirmed,"))
                #expect(lines[count].hasPrefix("\(count),"))
            } else {
                #expect(lines[0].hasPrefix(#"{"confirmed":""#))
                #expect(lines[count - 1].contains(#""email":"signer249999@example.org""#))
            }
        }
        try await checkAndRenderAtScale(folder)
    }

    /// The same store as a joint petition: its signers go as files (past 1,000), which at
    /// 250,000 are larger than the campaign may send; check and render say so, reading
    /// the store from a cursor (memory flat), and write nothing.
    func checkAndRenderAtScale(_ folder: TemporaryFolder) async throws {
        try folder.write("petition.txt", "Subject: Petition\n\nWe, the undersigned:\n{{#signers_attached}}{{signer_count}} signed.{{/signers_attached}}{{^signers_attached}}{{#signers}}\n{{@number}}. {{name}}\n{{/signers}}{{/signers_attached}}\n")
        for command in ["check", "render"] {
            let arguments = command == "check" ? ["check", "petition.json"] : ["render", "petition.json", "--out", "out"]
            let url = folder.url
            let measured = try await CLI.offPool { try Self.peakMemory(arguments, in: url, output: "\(command).out", errors: "\(command).err") }
            let errors = try String(contentsOf: folder.url.appendingPathComponent("\(command).out"), encoding: .utf8)
                + String(contentsOf: folder.url.appendingPathComponent("\(command).err"), encoding: .utf8)
            #expect(measured.status == 65, "\(errors)")
            #expect(errors.contains("error: message 1 to ministry@example.org would be "), "\(errors)")
            #expect(errors.contains("the list of its 250000 signers (signers.csv and signers.html) makes it that long"))
            #expect(measured.peakKB < 100_000, "\(command) peaked at \(measured.peakKB) KB")
        }
        let written = (try? FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent("out").path)) ?? []
        #expect(written.isEmpty)
    }

    /// Runs the binary under Python, which reports the child's peak resident memory (KB).
    static func peakMemory(_ arguments: [String], in folder: URL, output: String, errors: String = "/dev/null") throws -> (status: Int32, peakKB: Int) {
        let script = """
            import resource, subprocess, sys
            with open(sys.argv[1], "wb") as out, open(sys.argv[2], "wb") as err:
                code = subprocess.call(sys.argv[3:], stdout=out, stderr=err)
            print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            sys.exit(code)
            """
        let (status, data) = try Python.run(["-c", script, folder.appendingPathComponent(output).path,
                                             errors.hasPrefix("/") ? errors : folder.appendingPathComponent(errors).path, CLI.binary.path] + arguments,
                                            in: folder)
        let peak = Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? Int.max
        return (status, peak)
    }
}
