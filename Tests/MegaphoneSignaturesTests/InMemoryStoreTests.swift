import Foundation
import GRDB
import MegaphoneSignatures
import Testing

/// The store over any GRDB writer: an in-memory queue holds the same schema and rules.
@Suite struct InMemoryStoreTests {
    @Test func anInMemoryQueueSignsConfirmsAndCounts() async throws {
        let store = try SignatureStore(database: DatabaseQueue(configuration: SignatureStore.makeConfiguration()), path: ":memory:", migrate: true)
        #expect(store.isCurrent)
        let token = Token.generate()
        let request = SignRequest(campaign: "c", fields: ["name": "Ana Lopez", "email": "Ana@Example.org"], confirmToken: token,
                                  expires: Date().addingTimeInterval(3600))
        #expect(try await store.sign(request, mail: { _, _ in nil }) == .new)
        guard case .confirmed = try await store.confirm(token) else {
            Issue.record("not confirmed")
            return
        }
        #expect(try store.confirmedCount(campaign: "c") == 1)
        // The same address, spelt otherwise, is the same signer.
        let again = SignRequest(campaign: "c", fields: ["name": "Ana", "email": "ana@example.org"], confirmToken: .generate(),
                                expires: Date().addingTimeInterval(3600))
        #expect(try await store.sign(again, mail: { _, _ in nil }) == .alreadySigned)
        #expect(try await store.tally(campaign: "c").confirmed == 1)
    }

    @Test func withoutLeaveToMigrateNothingIsWritten() throws {
        let queue = try DatabaseQueue(configuration: SignatureStore.makeConfiguration())
        let store = try SignatureStore(database: queue, path: ":memory:", migrate: false)
        #expect(!store.isCurrent)
        #expect(try queue.read { db in try db.tableExists("signature") } == false)
    }
}
