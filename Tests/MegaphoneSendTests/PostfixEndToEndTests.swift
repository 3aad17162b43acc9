import Foundation
import MegaphoneCampaign
import MegaphoneTestSupport
import Testing

@Suite struct PostfixEndToEndTests {
    @Test func thousandMessagesThroughPostfixIntoAMaildir() throws {
        let postfix = try PostfixTestServer()
        defer { postfix.stop() }
        let fixture = try SendFixture(rows: 1000, template: "Subject: Letter {{recipient.n}}\n\nDear {{recipient.name}},\nЖаңаөзен — please act.\n.\nFrom the campaign\n")
        defer { fixture.folder.remove() }
        let result = try CLI.run(["send", "campaign.json", "--smtp", postfix.url, "--starttls", "never", "--connections", "4", "-q"], in: fixture.folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        var files: [String] = []
        for _ in 0..<600 {
            files = postfix.delivered()
            if files.count >= 1000 { break }
            usleep(100_000)
        }
        #expect(files.count == 1000)

        // Bodies byte for byte (Postfix stores LF line endings; it adds only headers).
        let (campaign, problems) = Campaign.open(fixture.campaign)
        let opened = try #require(campaign, "\(problems)")
        let stream = try opened.messages()
        var expected: [String: String] = [:]
        while let outcome = stream.next() {
            if case .composed(let message) = outcome {
                expected[message.key] = body(String(decoding: message.bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n"))
            }
        }
        var seen: [String: Int] = [:]
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let to = text.components(separatedBy: "\n").first { $0.hasPrefix("To: ") }?
                .split(separator: "<").last?.split(separator: ">").first.map(String.init) ?? "?"
            seen[to, default: 0] += 1
            #expect(body(text) == expected[to], "\(to)")
        }
        #expect(seen.count == 1000)
        #expect(seen.values.allSatisfy { $0 == 1 })
        #expect(try fixture.states().values.allSatisfy { $0 == "sent" })
    }

    private func body(_ text: String) -> String {
        guard let range = text.range(of: "\n\n") else { return "" }
        return String(text[range.upperBound...])
    }
}
