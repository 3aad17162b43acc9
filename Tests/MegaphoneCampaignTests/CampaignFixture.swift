import Foundation
import MegaphoneCampaign
import MegaphoneTestSupport

/// A campaign written into a temporary folder: `campaign.json`, `template.txt`,
/// `recipients.csv` and whatever else a test adds.
struct CampaignFixture {
    let folder: TemporaryFolder
    var path: String { folder.url.appendingPathComponent("campaign.json").path }

    static let date = Date(timeIntervalSince1970: 1_795_000_000)

    /// `name` goes into the file as written (no JSON escaping): keep quotes and backslashes out of it.
    init(name: String = "test-campaign", mode: String = "each-recipient", template: String, recipients: String, signers: String? = nil,
         extra: [String: String] = [:], manifest: [String: String] = [:]) throws {
        folder = try TemporaryFolder()
        var fields = [
            "\"name\": \"\(name)\"",
            "\"sender\": {\"name\": \"Campaign Kazakhstan\", \"address\": \"campaign@example.org\"}",
            "\"template\": \"template.txt\"",
            "\"recipients\": \"recipients.csv\"",
            "\"mode\": \"\(mode)\"",
        ]
        if signers != nil { fields.append("\"signers\": \"signers.csv\"") }
        for (key, value) in manifest.sorted(by: { $0.key < $1.key }) { fields.append("\"\(key)\": \(value)") }
        try folder.write("campaign.json", "{\n  " + fields.joined(separator: ",\n  ") + "\n}\n")
        try folder.write("template.txt", template)
        try folder.write("recipients.csv", recipients)
        if let signers { try folder.write("signers.csv", signers) }
        for (name, text) in extra { try folder.write(name, text) }
    }

    func open() throws -> Campaign {
        let (campaign, problems) = Campaign.open(path, date: Self.date)
        guard let campaign else { throw CampaignFailure(diagnostics: problems) }
        return campaign
    }

    /// Every outcome of the campaign, in order.
    func outcomes() throws -> [MessageOutcome] {
        let stream = try open().messages()
        var result: [MessageOutcome] = []
        while let outcome = stream.next() { result.append(outcome) }
        return result
    }

    func messages() throws -> [ComposedMessage] {
        try outcomes().compactMap { if case .composed(let message) = $0 { message } else { nil } }
    }

    func problems() throws -> [CampaignDiagnostic] {
        try outcomes().flatMap { outcome -> [CampaignDiagnostic] in if case .problems(let p) = outcome { p } else { [] } }
    }

    func check() -> CheckReport { CampaignChecker.check(path, date: Self.date) }
}

extension ComposedMessage {
    var text: String { String(decoding: bytes, as: UTF8.self) }
}
