import Foundation
import MegaphoneCampaign
import MegaphoneTestSupport
import Testing

/// A campaign's "name" is its page's address (/NAME): a lower-case slug that is not
/// one of the server's own path names, checked for every campaign.
@Suite struct CampaignNameTests {
    static let recipients = "name,email\nA,a@example.org\n"

    @Test(arguments: [
        ("u", "u-campaign"),            // POST /u/sign was answered by the unsubscribe route
        ("admin", "admin-campaign"),
        ("healthz", "healthz-campaign"),
        ("api", "api-campaign"),        // kept for later
        ("Petition Karatobe", "petition-karatobe"),
        ("petition_karatobe", "petition-karatobe"),
        ("-petition", "petition"),
        ("pétition.2026", "petition-2026"),
        ("Петиция", "peticia"),
        ("a/b?c#d", "a-b-c-d"),
        ("<b>&amp;", "b-amp"),
        (String(repeating: "a", count: 65), String(repeating: "a", count: 64)),
    ])
    func aNameThatIsNotAServableSlugIsAnErrorAtItsValue(name: String, suggestion: String) throws {
        let fixture = try CampaignFixture(name: name, template: "Subject: x\n\nBody\n", recipients: Self.recipients)
        defer { fixture.folder.remove() }
        let report = fixture.check()
        #expect(report.errorCount == 1, "\(report.diagnostics)")
        let error = try #require(report.diagnostics.first { $0.severity == .error })
        // The fixture's file starts "{\n  \"name\": \"…\"": the value is at line 2, column 11.
        #expect(error.line == 2)
        #expect(error.column == 11)
        #expect(error.message.hasPrefix("\"name\" "))
        #expect(error.message.hasSuffix("\"\(suggestion)\""), "\(error.message)")
        #expect(error.description.contains("\n  \"name\": \"\(name)\",\n          ^"))
        // What it suggests is itself a good name.
        #expect(CampaignName.problem(suggestion) == nil)
        #expect(throws: CampaignFailure.self) { try fixture.open() }
    }

    @Test(arguments: ["t", "petition-karatobe", "2026-strike", "press-release-2026-11", String(repeating: "a", count: 64)])
    func aSlugIsAGoodName(name: String) throws {
        let fixture = try CampaignFixture(name: name, template: "Subject: x\n\nBody\n", recipients: Self.recipients)
        defer { fixture.folder.remove() }
        #expect(fixture.check().errorCount == 0)
        #expect(try fixture.open().manifest.name == name)
    }

    @Test func everyNameTheServerKeepsIsRefused() {
        for name in ServerPaths.reserved.sorted() {
            #expect(CampaignName.problem(name)?.contains("the server keeps for its own pages") == true, "\(name)")
        }
        for name in [ServerPaths.confirm, ServerPaths.withdraw, ServerPaths.unsubscribe, ServerPaths.admin, ServerPaths.health, ServerPaths.assets] {
            #expect(ServerPaths.reserved.contains(name))
        }
    }

    @Test func everySampleCampaignHasAGoodName() throws {
        let folder = CLI.packageRoot.appendingPathComponent("campaigns")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(!files.isEmpty)
        for file in files {
            let (_, problems) = CampaignManifest.load(folder.appendingPathComponent(file).path)
            #expect(!problems.contains { $0.message.hasPrefix("\"name\"") }, "\(file): \(problems)")
        }
    }
}
