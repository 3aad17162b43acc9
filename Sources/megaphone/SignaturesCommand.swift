import ArgumentParser
import Foundation
import MegaphoneCampaign
import MegaphoneSignatures

/// `megaphone signatures`: the organiser's view of a campaign's signature store.
struct SignaturesCommand: MegaphoneCommand {
    static let configuration = CommandConfiguration(
        commandName: "signatures",
        abstract: "List, export, release or anonymise a campaign's stored signatures.",
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

    func execute(console: Console) throws -> Status {
        func usage(_ message: String) -> UsageError { UsageError(message: message) }
        let path = campaign
        let (loaded, problems) = CampaignManifest.load(path)
        guard let manifest = loaded else { throw CampaignFailure(diagnostics: problems) }
        guard let storePath = manifest.signerStore else {
            throw CommandFailure(message: "\(path): the campaign's signers come from \(manifest.signers ?? "no file"), not a signature store; add \"signers\": {\"store\": \"data/signatures.sqlite\"}", code: .dataError)
        }
        let actions = [csv, json, releaseQuarantined, anonymise].filter { $0 }
        if actions.count > 1 { throw usage("choose one of --csv, --json, --release-quarantined and --anonymise") }
        var wanted: SignatureState? = .confirmed
        if let text = state {
            if text == "all" { wanted = nil } else {
                guard let chosen = SignatureState(rawValue: text) else { throw usage("--state takes pending, confirmed, quarantined, withdrawn or all, not '\(text)'") }
                wanted = chosen
            }
        }
        let store: SignatureStore
        do { store = try SignatureStore(path: storePath, create: false) } catch {
            throw CommandFailure(message: error.description, code: error.code == .missing ? .noInput : error.code == .cannotCreate ? .cannotCreate : .dataError)
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
        let signatures = try store.signatures(campaign: name, state: wanted)
        let fields = manifest.page?.fields ?? ["name", "email", "organisation", "city"]
        let letters = manifest.mode == .eachSigner
        if csv {
            console.out(SignatureExport.csv(signatures, fields: fields + (letters ? ["message"] : []), letters: letters))
            return .success
        }
        if json {
            console.out(SignatureExport.jsonLines(signatures))
            return .success
        }
        let counts = try store.counts(campaign: name)
        console.out("\(name): " + SignatureState.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ") + "\n")
        for (index, signature) in signatures.enumerated() {
            let details = ["organisation", "city", "country"].compactMap { signature.fields[$0] }.filter { !$0.isEmpty }.joined(separator: ", ")
            console.out("\(String(index + 1).padding(toLength: 5, withPad: " ", startingAt: 0)) \(signature.name)\(details.isEmpty ? "" : " — \(details)")  [\(signature.state.rawValue)]\n")
        }
        return .success
    }
}
