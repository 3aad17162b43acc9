import Foundation
import MegaphoneCampaign
import MegaphoneMail
import MegaphoneTestSupport
import Testing

/// `check --similarity` and `| pick`: letters to one official that are not identikit.
@Suite struct SimilarityTests {
    static let openings = """
    # Alternative openings: one is picked for each letter.
    I am writing to you as a member of a trade union that has followed the strike
    at the oil field closely, and with growing alarm at what has happened since.

    As a nurse and a trade unionist, I cannot stay silent while workers who asked
    for a fair wage are dismissed and their lawyer is kept behind bars.

    Our branch discussed the situation of the striking oil workers at its last
    meeting, and its members asked me to write to you in their name.

    I have read the reports of international observers about the strike, and I
    am deeply troubled by the treatment of the workers and of their lawyer.

    Workers in my town have sent money and messages of support to the strikers,
    and we are watching closely how your government responds to them.

    I write as a teacher who believes that the right to organise is a basic
    right, and that it must be respected in every country without exception.
    """

    static let closings = """
    I would be grateful for a reply telling me what your embassy will do, and I
    will share it with the members of my union.

    Please pass this letter to your government; we will keep writing until the
    lawyer is free and the dismissed workers are back at work.

    I hope to hear that the charges have been dropped before the end of the year,
    and I thank you for the attention you give to this letter.

    Many people in my city are following this case, and they expect an answer
    that shows respect for the rights your government has signed.

    I ask you to confirm that you have received this letter and forwarded it to
    the ministry responsible for labour relations.

    We will raise this case at our next national conference, and we would like
    to report there what your government has done.
    """

    static func fixture(pick: Bool, signers: Int = 12) throws -> CampaignFixture {
        let body = pick ? "{{ openings | pick }}\n\n" : "I am writing to you about the oil workers on strike and their lawyer.\n\n"
        let close = pick ? "{{ closings | pick: \"signer\" }}\n" : "I would be grateful for a reply.\n"
        let template = """
        Subject: The oil workers and their lawyer
        X-Campaign: {{campaign.name}}

        Your Excellency,

        \(body)The right to strike and the right to a lawyer are commitments your government has
        signed. I ask you to pass this letter on to your capital.

        \(close)
        Yours sincerely,
        {{signer.name}}

        """
        let rows = (1...signers).map { "Signer \($0),s\($0)@example.com" }.joined(separator: "\n")
        return try CampaignFixture(mode: "each-signer", template: template,
                                   recipients: "name,email\nEmbassy in London,embassy-london@example.org\n",
                                   signers: "name,email\n\(rows)\n",
                                   extra: ["openings.txt": openings, "closings.txt": closings],
                                   manifest: ["data": "[\"openings.txt\", \"closings.txt\"]"])
    }

    @Test func identikitLettersAreWarnedOfWithTheirNumbers() throws {
        let fixture = try Self.fixture(pick: false)
        defer { fixture.folder.remove() }
        let report = CampaignChecker.check(fixture.path, date: CampaignFixture.date, similarityThreshold: 6)
        #expect(report.errorCount == 0, "\(report.diagnostics)")
        let finding = try #require(report.similarityFindings.first)
        #expect(finding.recipient == "embassy-london@example.org")
        #expect(finding.numbers == Array(1...12))
        #expect(report.diagnostics.contains { $0.severity == .warning && $0.message.contains("embassy-london@example.org would get 12 near-identical letters of 12 (messages #1, #2, #3") })
        #expect((report.similarity?.medianSimilarity ?? 0) > 0.9)
    }

    @Test func pickedAlternativesKeepEachGroupUnderTheThreshold() throws {
        let fixture = try Self.fixture(pick: true)
        defer { fixture.folder.remove() }
        let report = CampaignChecker.check(fixture.path, date: CampaignFixture.date, similarityThreshold: 6)
        #expect(report.errorCount == 0, "\(report.diagnostics)")
        #expect(report.similarityFindings.isEmpty)
        #expect((report.similarity?.largestGroup ?? 99) <= 6)
        #expect((report.similarity?.medianSimilarity ?? 1) < 0.9)
        // The CLI's summary line, and the same without pick failing the threshold.
        let picked = try CLI.run(["check", "--similarity", fixture.path])
        #expect(picked.status == 0)
        #expect(picked.stdout.contains("Similarity: 1 recipient; at most"), "\(picked.stdout)")
        #expect(picked.stdout.contains("0 recipients over 6."))
        let plain = try Self.fixture(pick: false)
        defer { plain.folder.remove() }
        let warned = try CLI.run(["check", "--similarity", "--threshold", "6", plain.path])
        #expect(warned.stdout.contains("1 recipient over 6."), "\(warned.stdout)")
        #expect(warned.stdout.contains("warning: embassy-london@example.org would get 12 near-identical letters"))
    }

    @Test func pickRendersTheSameLettersOnEveryRun() throws {
        let fixture = try Self.fixture(pick: true)
        defer { fixture.folder.remove() }
        let first = try fixture.messages().map(\.bytes)
        let second = try fixture.messages().map(\.bytes)
        #expect(first == second)
        // pick: "signer" keys the closing on the signer alone: the same for each embassy.
        let two = try CampaignFixture(mode: "each-signer", template: "Subject: S\n\n{{ closings | pick: \"signer\" }}\n",
                                      recipients: "name,email\nA,a@example.org\nB,b@example.org\n", signers: "name,email\nS,s@example.com\n",
                                      extra: ["closings.txt": Self.closings], manifest: ["data": "[\"closings.txt\"]"])
        defer { two.folder.remove() }
        let bodies = try two.messages().map { $0.message.text }
        #expect(bodies.count == 2)
        #expect(bodies[0] == bodies[1])
    }

    @Test(arguments: [("СВОБОДУ БАСТУЮЩИМ", true), ("FREE ALIYA 2026!", true), ("Free the STRIKERS", false), ("Свободу бастующим", false), ("OK", false)])
    func allCapitalSubjectsAreWarnedOf(subject: String, warned: Bool) throws {
        let fixture = try CampaignFixture(template: "Subject: \(subject)\n\nDear friend,\nplease act.\n", recipients: "name,email\nA,a@example.org\n")
        defer { fixture.folder.remove() }
        #expect(fixture.check().diagnostics.contains { $0.message.contains("SUBJ_ALL_CAPS") } == warned)
    }

    @Test func checkWarnsOfWhatSpamFiltersScore() throws {
        let fixture = try CampaignFixture(mode: "each-signer", template: "Subject: FREE THE STRIKERS NOW\n\nDear Sir,\nplease act.\n",
                                          recipients: "name,email\nEmbassy,embassy@example.org\n",
                                          signers: "name,email\nAna,ana@gmail.com\n",
                                          extra: ["letter.html": "<p>Buy cheap watches today, limited offer.</p>\n"],
                                          manifest: ["html": "\"letter.html\""])
        defer { fixture.folder.remove() }
        let report = fixture.check()
        let messages = report.diagnostics.filter { $0.severity == .warning }.map(\.message)
        #expect(messages.contains { $0.contains("FREEMAIL_FORGED_REPLYTO") && $0.contains("normal price of DMARC-safe letters") })
        #expect(messages.contains { $0.contains("SUBJ_ALL_CAPS") })
        #expect(messages.contains { $0.contains("MPART_ALT_DIFF") })
        #expect(report.errorCount == 0)
    }
}
