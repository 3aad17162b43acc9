import Foundation
import MegaphoneSignatures
import Testing

/// The signature store on real SQLite files in a temporary folder.
@Suite struct StoreTests {
    let folder: URL
    let store: SignatureStore

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("megaphone-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SignatureStore(path: folder.appendingPathComponent("s.sqlite").path)
    }

    func request(_ email: String, name: String = "Ana Lopez", quarantine: Bool = false, expires: Date = Date().addingTimeInterval(86_400),
                 confirm: Token = .generate()) -> SignRequest {
        SignRequest(campaign: "c", fields: ["name": name, "email": email, "city": "Leeds"], quarantine: quarantine,
                    confirmToken: confirm, expires: expires)
    }

    static func mail(_ disposition: SignDisposition, _ id: Int64) -> OutgoingMail? {
        OutgoingMail(kind: disposition == .alreadySigned ? "notice" : "confirmation", key: "k \(id) \(UUID().uuidString)",
                     envelopeFrom: "c@example.org", recipients: ["x@example.org"], bytes: Array("Subject: x\r\n\r\nbody\r\n".utf8))
    }

    @Test func durableSettings() throws {
        #expect(try store.synchronousSetting() == 2)   // FULL
        #expect(try store.journalMode() == "wal")
    }

    @Test func signConfirmCountsOnce() async throws {
        let token = Token.generate()
        #expect(try await store.sign(request("ana@example.org", confirm: token), mail: Self.mail) == .new)
        #expect(try store.confirmedCount(campaign: "c") == 0)
        #expect(try store.unsentMailCount() == 1)
        guard case .confirmed(let signature) = try await store.confirm(token) else { Issue.record("not confirmed"); return }
        #expect(signature.state == .confirmed)
        #expect(try store.confirmedCount(campaign: "c") == 1)
        guard case .alreadyConfirmed = try await store.confirm(token) else { Issue.record("second confirmation changed something"); return }
        #expect(try store.confirmedCount(campaign: "c") == 1)
        #expect(try await store.confirm(Token.generate()) == .unknown)
    }

    @Test func duplicatesAreFoldedAndNeverCountedTwice() async throws {
        let token = Token.generate()
        #expect(try await store.sign(request("Ana@Example.ORG", confirm: token), mail: Self.mail) == .new)
        #expect(try await store.sign(request("ana@example.org"), mail: Self.mail) == .pendingAgain)
        _ = try await store.confirm(token)
        #expect(try await store.sign(request("ANA@example.org"), mail: Self.mail) == .alreadySigned)
        #expect(try await store.sign(request("ana@example.org"), mail: Self.mail) == .alreadySigned)
        #expect(try await store.sign(request("ana@example.org"), mail: Self.mail) == .quiet)   // three notices at most
        #expect(try store.signatures(campaign: "c", state: nil).count == 1)
        #expect(try store.confirmedCount(campaign: "c") == 1)
        #expect(try store.unsentMailCount() == 4)
    }

    @Test func twentyConcurrentSignaturesFromOneAddressAreOne() async throws {
        let store = self.store
        try await withThrowingTaskGroup(of: SignDisposition.self) { group in
            for index in 0..<20 {
                group.addTask { try await store.sign(SignRequest(campaign: "c", fields: ["name": "Bo \(index)", "email": "bo@example.org"],
                                                                 expires: Date().addingTimeInterval(600)), mail: Self.mail) }
            }
            var dispositions: [SignDisposition] = []
            for try await disposition in group { dispositions.append(disposition) }
            #expect(dispositions.filter { $0 == .new }.count == 1)
        }
        #expect(try store.signatures(campaign: "c", state: nil).count == 1)
    }

    @Test func twoHundredConcurrentConfirmationsCountOnce() async throws {
        let token = Token.generate()
        _ = try await store.sign(request("cy@example.org", confirm: token), mail: Self.mail)
        let store = self.store
        let firsts = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<200 {
                group.addTask { if case .confirmed = try await store.confirm(token) { true } else { false } }
            }
            var count = 0
            for try await first in group where first { count += 1 }
            return count
        }
        #expect(firsts == 1)
        #expect(try store.confirmedCount(campaign: "c") == 1)
    }

    @Test func expiredLinksConfirmNothing() async throws {
        let token = Token.generate()
        _ = try await store.sign(request("dee@example.org", expires: Date().addingTimeInterval(-1), confirm: token), mail: Self.mail)
        #expect(try await store.confirm(token) == .expired)
        #expect(try store.confirmedCount(campaign: "c") == 0)
    }

    @Test func withdrawingErasesAndUncounts() async throws {
        let token = Token.generate()
        let withdraw = Token.generate()
        var signing = request("eve@example.org", confirm: token)
        signing.withdrawToken = withdraw
        _ = try await store.sign(signing, mail: Self.mail)
        _ = try await store.confirm(token)
        #expect(try await store.withdraw(withdraw) == .withdrawn)
        #expect(try await store.withdraw(withdraw) == .alreadyWithdrawn)
        #expect(try store.confirmedCount(campaign: "c") == 0)
        let all = try store.signatures(campaign: "c", state: .withdrawn)
        #expect(all.count == 1)
        #expect(all.first?.fields.isEmpty == true)
        #expect(try await store.confirm(token) == .unknown)
        #expect(try store.unsentMailCount() == 0)   // the unsent confirmation, with the address, is gone too
        #expect(try await store.sign(request("eve@example.org"), mail: Self.mail) == .new)   // and the address may sign again
    }

    @Test func quarantineHoldsBackUntilReleased() async throws {
        let token = Token.generate()
        _ = try await store.sign(request("fay@example.org", quarantine: true, confirm: token), mail: Self.mail)
        _ = try await store.sign(request("gus@example.org", quarantine: true), mail: Self.mail)
        guard case .confirmed(let signature) = try await store.confirm(token) else { Issue.record("not verified"); return }
        #expect(signature.state == .quarantined)
        #expect(try store.confirmedCount(campaign: "c") == 0)
        #expect(try store.releaseQuarantined(campaign: "c") == 2)
        #expect(try store.confirmedCount(campaign: "c") == 1)
        #expect(try store.counts(campaign: "c")[.pending] == 1)
    }

    @Test func hostileTextIsStoredAsText() async throws {
        let name = "Robert'); DROP TABLE signature;--"
        let token = Token.generate()
        _ = try await store.sign(request("bobby@example.org", name: name, confirm: token), mail: Self.mail)
        _ = try await store.confirm(token)
        #expect(try store.signatures(campaign: "c", state: .confirmed).first?.name == name)
    }

    @Test func fieldsRoundTripWhateverTheyHold() async throws {
        let fields = ["name": "Zoë \"Z\" O'Neil", "email": "zoe@example.org", "organisation": "Back\\slash & <b>bold</b>",
                      "message": "Line one\nLine two\twith a tab \u{2028} and 🇰🇿", "city": "Ақтау"]
        let token = Token.generate()
        _ = try await store.sign(SignRequest(campaign: "c", fields: fields, targets: ["a@example.org", "b\"@example.org"], confirmToken: token,
                                             expires: Date().addingTimeInterval(60)), mail: Self.mail)
        _ = try await store.confirm(token)
        let stored = try #require(try store.signatures(campaign: "c", state: .confirmed).first)
        #expect(stored.fields == fields)
        #expect(stored.targets == ["a@example.org", "b\"@example.org"])
    }

    @Test func anonymiseKeepsCounts() async throws {
        for index in 0..<3 {
            let token = Token.generate()
            _ = try await store.sign(request("p\(index)@example.org", confirm: token), mail: Self.mail)
            _ = try await store.confirm(token)
        }
        #expect(try store.anonymise(campaign: "c") == 3)
        let signatures = try store.signatures(campaign: "c", state: .confirmed)
        #expect(signatures.map(\.name) == ["Signer 1", "Signer 2", "Signer 3"])
        #expect(signatures.allSatisfy { $0.email.hasSuffix("@anonymised.invalid") && $0.fields["city"] == "" })
        #expect(try store.confirmedCount(campaign: "c") == 3)
    }

    @Test func confirmedOrderIsConfirmationOrder() async throws {
        let first = Token.generate(), second = Token.generate()
        _ = try await store.sign(request("a1@example.org", name: "First Signer", confirm: first), mail: Self.mail)
        _ = try await store.sign(request("a2@example.org", name: "Second Signer", confirm: second), mail: Self.mail)
        _ = try await store.confirm(second, now: Date())
        _ = try await store.confirm(first, now: Date().addingTimeInterval(1))
        #expect(try store.signatures(campaign: "c", state: .confirmed).map(\.name) == ["Second Signer", "First Signer"])
    }

    @Test func missingStoreIsNamed() {
        #expect(throws: StoreError.self) { try SignatureStore(path: "/nonexistent-folder/s.sqlite") }
        let error = #expect(throws: StoreError.self) { try SignatureStore(path: folder.appendingPathComponent("none.sqlite").path, create: false) }
        #expect(error?.code == .missing)
    }
}
