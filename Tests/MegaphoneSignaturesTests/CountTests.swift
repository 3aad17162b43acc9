import Foundation
import MegaphoneSignatures
import Testing

/// The kept counts (one row read by every page view) against a full recount of the
/// rows, after every kind of change a store sees.
@Suite struct CountTests {
    let folder: URL
    let store: SignatureStore

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("megaphone-counts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SignatureStore(path: folder.appendingPathComponent("s.sqlite").path)
    }

    func request(_ number: Int, campaign: String = "c", quarantine: Bool = false, targets: [String] = [], confirm: Token, withdraw: Token) -> SignRequest {
        SignRequest(campaign: campaign, fields: ["name": "Signer", "email": "s\(number)@example.org"], targets: targets, quarantine: quarantine,
                    confirmToken: confirm, withdrawToken: withdraw, expires: Date().addingTimeInterval(86_400))
    }

    func expectAgree(_ campaign: String = "c", _ comment: Comment) throws {
        let kept = try store.counts(campaign: campaign)
        let rows = try store.countedFromRows(campaign: campaign)
        #expect(kept == rows.byState, comment)
        #expect(try store.confirmedLetterCount(campaign: campaign) == rows.letters, comment)
        #expect(try store.confirmedCount(campaign: campaign) == rows.confirmed, comment)
    }

    @Test func keptCountsAgreeWithARecountAfterAMixedRun() async throws {
        var confirms: [Token] = []
        var withdraws: [Token] = []
        // 60 signatures in two campaigns: every fourth quarantined, letters choosing 1–3 targets.
        for number in 0..<60 {
            let confirm = Token.generate(), withdraw = Token.generate()
            confirms.append(confirm)
            withdraws.append(withdraw)
            let targets = Array(["a@example.org", "b@example.org", "c@example.org"].prefix(number % 3 + 1))
            _ = try await store.sign(request(number, campaign: number % 5 == 0 ? "other" : "c", quarantine: number % 4 == 0,
                                             targets: targets, confirm: confirm, withdraw: withdraw)) { _, _ in nil }
        }
        // A second signature from an address that signed: counted once.
        _ = try await store.sign(request(1, confirm: .generate(), withdraw: .generate())) { _, _ in nil }
        try expectAgree("c", "after signing")
        try expectAgree("other", "after signing")
        for index in stride(from: 0, to: 60, by: 2) { _ = try await store.confirm(confirms[index]) }
        _ = try await store.confirm(confirms[2])   // twice: counted once
        try expectAgree("c", "after confirming")
        for index in stride(from: 0, to: 60, by: 6) { _ = try await store.withdraw(withdraws[index]) }
        _ = try await store.withdraw(withdraws[0])
        try expectAgree("c", "after withdrawing")
        try store.releaseQuarantined(campaign: "c")
        try expectAgree("c", "after releasing")
        try store.anonymise(campaign: "c")
        try expectAgree("c", "after anonymising")
        try expectAgree("other", "after everything")
        let (before, after) = try store.recount(campaign: "c")
        #expect(before == after)
        #expect(after.confirmed > 0)
        let tally = try await store.tally(campaign: "c")
        #expect(tally == after)
    }

    @Test func importedSignaturesCountOnceAndARolledBackImportCountsNothing() throws {
        let added = try store.importSignatures(campaign: "c", source: "paper") { importer in
            var added = 0
            for number in 0..<100 where try importer.add(["name": "Paper Signer", "email": "P\(number % 90)@Example.org"]) { added += 1 }
            return (true, added)
        }
        #expect(added == 90)
        #expect(try store.confirmedCount(campaign: "c") == 90)
        let rolledBack = try store.importSignatures(campaign: "c", source: "import") { importer in
            for number in 100..<150 { _ = try importer.add(["name": "Lost Signer", "email": "l\(number)@example.org"]) }
            return (false, 0)
        }
        #expect(rolledBack == 0)
        #expect(try store.confirmedCount(campaign: "c") == 90)
        try expectAgree("c", "after imports")
    }
}
