import Foundation
import MegaphoneTestSupport

/// A campaign of `rows` recipients in a temporary folder, for send tests.
struct SendFixture {
    let folder: TemporaryFolder
    var campaign: String { folder.url.appendingPathComponent("campaign.json").path }
    var logPath: String { folder.url.appendingPathComponent("campaign.sendlog.jsonl").path }

    init(rows: Int, template: String = "Subject: Letter {{recipient.n}}\nCc: Campaign <campaign@example.org>\n\nDear {{recipient.name}},\nplease act.\n",
         recipients: String? = nil) throws {
        folder = try TemporaryFolder()
        try folder.write("campaign.json", """
        {"name": "send-test", "sender": {"name": "Campaign", "address": "campaign@example.org"},
         "template": "template.txt", "recipients": "recipients.csv", "mode": "each-recipient"}
        """)
        try folder.write("template.txt", template)
        let csv = recipients ?? ("name,email,n\n" + (1...rows).map { "Person \($0),p\($0)@example.org,\($0)" }.joined(separator: "\n") + "\n")
        try folder.write("recipients.csv", csv)
    }

    /// The log's lines, parsed loosely.
    func records() throws -> [[String: Any]] {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        }
    }

    /// The latest state of each message key in the log.
    func states() throws -> [String: String] {
        var result: [String: String] = [:]
        for record in try records() {
            guard let key = record["key"] as? String, let state = record["state"] as? String else { continue }
            if result[key] != "sent" { result[key] = state }
        }
        return result
    }
}

extension SMTPTestServer.Stored {
    /// The To address of a stored message (the test campaigns' message key).
    var toAddress: String? {
        text.components(separatedBy: "\r\n").first { $0.hasPrefix("To: ") }?
            .split(separator: "<").last?.split(separator: ">").first.map(String.init)
    }
}

/// Starts the built `megaphone` without waiting, for tests that kill or signal it.
func startCLI(_ arguments: [String], in directory: URL) throws -> (Process, Pipe) {
    let process = Process()
    process.executableURL = CLI.binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return (process, err)
}
