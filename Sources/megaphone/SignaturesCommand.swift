import ArgumentParser
import Foundation
import MegaphoneCampaign
import MegaphoneSignatures

/// `megaphone signatures`: the organiser's view of a campaign's signature store.
struct SignaturesCommand: MegaphoneCommand {
    static let configuration = CommandConfiguration(
        commandName: "signatures",
        abstract: "List, export, import, recount, release or anonymise a campaign's stored signatures.",
        discussion: """
        Reads the campaign's signature store ("signers": {"store": …}). Without an
        action it lists signatures (confirmed ones by default, in the order they were
        confirmed). --csv and --json include email addresses: keep such files private.
        """)

    @Argument(help: "The campaign file (JSON).")
    var campaign: String

    @Option(name: .customLong("state"), help: ArgumentHelp("pending, confirmed (default), quarantined, withdrawn or all.", valueName: "state"))
    var state: String?

    @Flag(name: .customLong("csv"), help: "Write CSV (spreadsheet cells neutralised) to standard output.")
    var csv = false

    @Flag(name: .customLong("json"), help: "Write JSON Lines to standard output.")
    var json = false

    @Flag(name: .customLong("release-quarantined"), help: "Release quarantined signatures: confirmed ones count from now on.")
    var releaseQuarantined = false

    @Flag(name: .customLong("anonymise"), help: "After the campaign has closed: replace names, emails and cities by placeholders, keeping counts.")
    var anonymise = false

    @Flag(name: .customLong("recount"), help: "Rebuild the kept counts (pages, count.json, /admin) from the signatures themselves.")
    var recount = false

    @Option(name: .customLong("import"), help: ArgumentHelp("Add the signatures in this CSV file (name, email and the page's fields) as confirmed.", valueName: "file.csv"))
    var importFile: String?

    @Option(name: .customLong("source"), help: ArgumentHelp("Where imported signatures come from: import (default) or paper.", valueName: "source"))
    var source: String?

    @Option(name: .customLong("skip-invalid"), help: ArgumentHelp("With --import: store the good rows, and write the refused ones with their reasons to this file.", valueName: "file.csv"))
    var skipInvalid: String?

    func execute(console: Console) throws -> Status {
        func usage(_ message: String) -> UsageError { UsageError(message: message) }
        let path = campaign
        let (loaded, problems) = CampaignManifest.load(path)
        guard let manifest = loaded else { throw CampaignFailure(diagnostics: problems) }
        guard let storePath = manifest.signerStore else {
            throw CommandFailure(message: "\(path): the campaign's signers come from \(manifest.signers ?? "no file"), not a signature store; add \"signers\": {\"store\": \"data/signatures.sqlite\"}", code: .dataError)
        }
        let actions = [csv, json, releaseQuarantined, anonymise, recount, importFile != nil].filter { $0 }
        if actions.count > 1 { throw usage("choose one of --csv, --json, --release-quarantined, --anonymise, --recount and --import") }
        if importFile == nil, source != nil || skipInvalid != nil { throw usage("--source and --skip-invalid go with --import FILE.csv") }
        if let source, !["import", "paper"].contains(source) { throw usage("--source takes import or paper, not '\(source)'") }
        var wanted: SignatureState? = .confirmed
        if let text = state {
            if text == "all" { wanted = nil } else {
                guard let chosen = SignatureState(rawValue: text) else { throw usage("--state takes pending, confirmed, quarantined, withdrawn or all, not '\(text)'") }
                wanted = chosen
            }
        }
        let store: SignatureStore
        // An import may be a petition's first signatures: it creates the store.
        // Listing and exporting read the store as it is; the actions that write may bring its schema up to date.
        let writes = importFile != nil || releaseQuarantined || anonymise || recount
        do { store = try SignatureStore(path: storePath, create: importFile != nil, upgrade: writes) } catch {
            throw CommandFailure(message: error.description, code: Status(error))
        }
        let name = manifest.name
        if releaseQuarantined {
            let released = try store.releaseQuarantined(campaign: name)
            console.out("Released \(released) quarantined signature\(released == 1 ? "" : "s") of \(name); confirmed ones count from now on, the others wait for their confirmation.\n")
            return .success
        }
        if anonymise {
            let closedByTime = manifest.page?.closes.map { $0 <= Date() } ?? false
            let override = try store.closedOverride(campaign: name)
            guard override ?? closedByTime else {
                throw CommandFailure(message: "\(path): the campaign is still open; anonymise after it closes (its \"closes\" time, or Close on /admin)", code: .dataError)
            }
            let changed = try store.anonymise(campaign: name)
            let counts = try store.counts(campaign: name)
            console.out("Anonymised \(changed) signature\(changed == 1 ? "" : "s") of \(name); \(counts[.confirmed] ?? 0) confirmed still count.\n")
            return .success
        }
        if recount {
            let (before, after) = try store.recount(campaign: name)
            let line = SignatureState.allCases.map { "\(after.byState[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
            console.out(before == after ? "\(name): the kept counts were right (\(line)).\n"
                        : "\(name): the kept counts were wrong and are rebuilt from the signatures: \(line) (they said \(before.confirmed) confirmed).\n")
            return .success
        }
        if let importFile {
            return try importSignatures(importFile, manifest: manifest, store: store, console: console)
        }
        let fields = manifest.page?.fields ?? ["name", "email", "organisation", "city"]
        let letters = manifest.mode == .eachSigner
        // Streamed from a cursor and written as it goes: memory stays flat at a million.
        var output = BufferedOutput(console: console)
        if csv || json {
            var export = SignatureExport(csv ? .csv : .jsonLines, fields: fields + (letters ? ["message"] : []), letters: letters)
            output.write(export.header)
            try store.forEachSignature(campaign: name, state: wanted) { signature in
                output.write { export.append(signature, to: &$0) }
            }
            output.flush()
            return .success
        }
        let counts = try store.counts(campaign: name)
        output.write("\(name): " + SignatureState.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ") + "\n")
        var index = 0
        try store.forEachSignature(campaign: name, state: wanted) { signature in
            index += 1
            let details = ["organisation", "city", "country"].compactMap { signature.fields[$0] }.filter { !$0.isEmpty }.joined(separator: ", ")
            output.write("\(String(index).padding(toLength: 5, withPad: " ", startingAt: 0)) \(signature.name)\(details.isEmpty ? "" : " — \(details)")  [\(signature.state.rawValue)]\n")
        }
        output.flush()
        return .success
    }

    private func importSignatures(_ file: String, manifest: CampaignManifest, store: SignatureStore, console: Console) throws -> Status {
        guard manifest.mode == .joint else {
            throw CommandFailure(message: "\(manifest.path): --import adds signatures to a petition (mode \"joint\"); a letter page's supporters write their own letters", code: .usage)
        }
        let run = SignatureImport(manifest: manifest, file: file, source: source ?? "import", refused: skipInvalid)
        let report = try run.run(into: store)
        for error in report.errors { console.err("\(error)\n") }
        if report.refused > report.errors.count { console.err("… and \(report.refused - report.errors.count) more refused rows.\n") }
        if !report.ignoredColumns.isEmpty {
            console.err("\(file): warning: columns not among the page's fields were not kept: \(report.ignoredColumns.joined(separator: ", "))\n")
        }
        let duplicates = report.duplicates == 0 ? "" : ", \(report.duplicates) skipped (the address had signed already)"
        guard report.stored else {
            console.err("Nothing was imported: \(report.refused) row\(report.refused == 1 ? " is" : "s are") wrong. Correct \(report.refused == 1 ? "it" : "them"), or give --skip-invalid FILE to store the others and write the refused rows there.\n")
            return .dataError
        }
        let refused = report.refused == 0 ? "" : "; \(report.refused) refused, written with their reasons to \(skipInvalid ?? "")"
        console.out("Imported \(report.added) signature\(report.added == 1 ? "" : "s") into \(manifest.name) as confirmed (source: \(source ?? "import"))\(duplicates)\(refused).\n")
        return .success
    }
}

/// Standard output written in pieces of 64 KiB, for exports of any size.
struct BufferedOutput {
    let console: Console
    private var buffer = ""

    init(console: Console) {
        self.console = console
    }

    mutating func write(_ text: String) {
        buffer += text
        if buffer.utf8.count >= 1 << 16 { flush() }
    }

    mutating func write(_ append: (inout String) -> Void) {
        append(&buffer)
        if buffer.utf8.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        console.out(buffer)
        buffer = ""
    }
}
