import Foundation
import MegaphoneTestSupport
import Testing

/// What a new user runs first: `make demo` and the README's own examples, on the
/// sample campaigns as a fresh clone has them.
@Suite struct QuickStartTests {
    /// `make demo` deleted campaigns/outbox, where `make serve` leaves signer mail.
    @Test func theDemoWritesAndRemovesOnlyItsOwnOutbox() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/make")
        process.arguments = ["-n", "--no-print-directory", "demo"]
        process.currentDirectoryURL = CLI.packageRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let removals = output.split(separator: "\n").filter { $0.contains("rm ") }
        #expect(!removals.isEmpty)
        for line in removals {
            #expect(!line.split(separator: " ").contains("campaigns/outbox"), "make demo removes campaigns/outbox: \(line)")
        }
        #expect(output.contains("send campaigns/embassy-protest-csv.json --outbox campaigns/demo-outbox"))
    }

    /// Every `megaphone check|preview|render|send|log` example in the README and docs/ that names a
    /// sample campaign runs as written on the samples (no SMTP server: the outbox).
    @Test func theReadmesExamplesRunOnAFreshClone() throws {
        // The README's tour, then the reference pages it links to (docs/).
        let docs = CLI.packageRoot.appendingPathComponent("docs")
        let pages = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }.sorted()
        let readme = try ([CLI.packageRoot.appendingPathComponent("README.md")] + pages.map { docs.appendingPathComponent($0) })
            .map { try String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for name in ["campaigns", "recipients", "templates"] {
            try FileManager.default.copyItem(at: CLI.packageRoot.appendingPathComponent(name), to: folder.url.appendingPathComponent(name))
        }
        // Whatever this machine's earlier runs left beside the samples is not on a fresh clone.
        for leftover in ["campaigns/outbox", "campaigns/demo-outbox", "campaigns/data/signatures.sqlite"] {
            try? FileManager.default.removeItem(at: folder.url.appendingPathComponent(leftover))
        }
        var ran = 0
        for raw in readme.split(separator: "\n") {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("$ ") { line.removeFirst(2) }
            guard line.hasPrefix("megaphone "), line.contains(" campaigns/"), !line.contains("…"), !line.contains("--smtp"),
                  !line.hasSuffix("\\") else { continue }
            let command = line.components(separatedBy: " #").first ?? line
            var words = command.split(separator: " ").map(String.init).dropFirst()
            guard let verb = words.first, ["check", "preview", "render", "send", "log"].contains(verb) else { continue }
            if let redirect = words.firstIndex(of: ">") { words = words[..<redirect] }
            let result = try CLI.run(Array(words), in: folder.url)
            #expect(result.status == 0, "README: \(line)\n\(result.stdout)\(result.stderr)")
            ran += 1
        }
        #expect(ran >= 10)
    }
}
