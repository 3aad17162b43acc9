public import Foundation
import GRDB

/// Adds signatures collected elsewhere (another platform's export, paper sheets) to
/// a campaign, inside one transaction: they count as confirmed, marked with their
/// `source`. An address already in the store (or earlier in the same import) is
/// skipped, never counted twice.
public final class SignatureImporter {
    private let db: Database
    private let statement: Statement
    private let campaign: String
    private let source: String
    private let time: Double

    init(campaign: String, source: String, now: Date, db: Database) throws {
        self.db = db
        self.campaign = campaign
        self.source = source
        time = now.timeIntervalSince1970
        statement = try db.makeStatement(sql: """
            INSERT INTO signature (campaign, state, email_key, fields, targets, created_at, verified_at, confirmed_at, source)
            VALUES (?, 'confirmed', ?, ?, '[]', ?, ?, ?, ?) ON CONFLICT (campaign, email_key) DO NOTHING
            """)
    }

    /// Adds one signature; false when its address had signed already (nothing added).
    public func add(_ fields: [String: String]) throws -> Bool {
        try statement.execute(arguments: [campaign, SignRequest.emailKey(fields["email"] ?? ""), SignatureFields.encode(fields), time, time, time, source])
        return db.changesCount == 1
    }
}

extension SignatureStore {
    /// Runs `body` with an importer inside one write transaction, committed (and on
    /// disk) when `body` returns true, rolled back — nothing stored — when it returns
    /// false or throws.
    public func importSignatures<T>(campaign: String, source: String, now: Date = Date(),
                                    _ body: (SignatureImporter) throws -> (commit: Bool, result: T)) throws -> T {
        try database.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction {
                let outcome = try body(try SignatureImporter(campaign: campaign, source: source, now: now, db: db))
                result = outcome.result
                return outcome.commit ? .commit : .rollback
            }
            guard let result else { throw StoreError(.damaged, path: path, "the import did not run") }
            return result
        }
    }
}
