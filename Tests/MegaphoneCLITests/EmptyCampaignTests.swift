import Foundation
import MegaphoneTestSupport
import Testing

/// A joint letter with nobody under it, or an each-signer campaign with no signer:
/// `check`, `render`, `preview` and `send` refuse it (exit 65) unless `--allow-empty`.
/// On a fresh clone `check campaigns/petition.json` said "0 errors" and `send` sent
/// three petitions "— 0 signatures" signed by nobody.
@Suite struct EmptyCampaignTests {
    func folder(mode: String, signers: String) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write("targets.csv", "name,email\nMinistry,ministry@example.org\nBoard,board@example.com\n")
        try folder.write("signers.csv", signers)
        try folder.write("letter.txt", "Subject: Petition ({{signers | count}})\n\nWe, the undersigned:\n{{#signers}}\n{{name}}\n{{/signers}}\n")
        try folder.write("own.txt", "Subject: A letter\n\nDear minister,\n\n{{signer.name}}\n")
        try folder.write("c.json", """
        {"name": "empty-petition", "sender": {"name": "C", "address": "c@example.org"}, "template": "\(mode == "joint" ? "letter.txt" : "own.txt")",
         "recipients": "targets.csv", "signers": "signers.csv", "mode": "\(mode)"}
        """)
        return folder
    }

    @Test func aJointLetterNobodySignedIsAnErrorEverywhere() throws {
        let folder = try folder(mode: "joint", signers: "name,email\n")
        defer { folder.remove() }
        let check = try CLI.run(["check", "c.json"], in: folder.url)
        #expect(check.status == 65)
        #expect(check.stdout.contains("c.json: error: the campaign 'empty-petition' has no signer (signers.csv lists no signer): its joint letter would go to every recipient signed by nobody"))
        #expect(check.stdout.contains("--allow-empty"))
        for command in [["render", "c.json", "--out", "out"], ["preview", "c.json"], ["send", "c.json", "--outbox", "outbox", "--quiet"]] {
            let result = try CLI.run(command, in: folder.url)
            #expect(result.status == 65, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("has no signer"), "\(command)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("outbox/new").path)
                || ((try? FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent("outbox/new").path)) ?? []).isEmpty)
        // Whoever really means it says so.
        #expect(try CLI.run(["check", "c.json", "--allow-empty"], in: folder.url).status == 0)
        let sent = try CLI.run(["send", "c.json", "--outbox", "outbox", "--quiet", "--allow-empty"], in: folder.url)
        #expect(sent.status == 0, "\(sent.stderr)")
    }

    @Test func anEachSignerCampaignWithNoSignerIsAnError() throws {
        let folder = try folder(mode: "each-signer", signers: "name,email\n")
        defer { folder.remove() }
        let check = try CLI.run(["check", "c.json"], in: folder.url)
        #expect(check.status == 65)
        #expect(check.stdout.contains("it would send no letter (0 messages)"))
        #expect(try CLI.run(["render", "c.json", "--out", "out"], in: folder.url).status == 65)
    }

    @Test func oneSignerIsEnough() throws {
        let folder = try folder(mode: "joint", signers: "name,email\nAna Lopez,ana@example.org\n")
        defer { folder.remove() }
        let check = try CLI.run(["check", "c.json"], in: folder.url)
        #expect(check.status == 0, "\(check.stdout)")
    }
}
