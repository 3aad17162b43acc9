import Foundation
public import GRDB

/// The signature store: one SQLite file (WAL, `synchronous=FULL`) holding the
/// signatures of one or more campaigns, their single-purpose tokens (as hashes), the
/// mail queued for signers, and each campaign's open/closed state. It knows nothing
/// of HTTP or of mail formats: mail is queued as bytes with its envelope.
///
/// Every change is one transaction, and every method returns only once its change
/// is on disk: an answer given after it cannot be lost.
public final class SignatureStore: Sendable {
    public let path: String
    /// Any GRDB writer: a `DatabasePool` on a file (WAL), or a `DatabaseQueue` (in memory, in tests).
    let database: any DatabaseWriter
    let committer: GroupCommitter

    /// Whether the store's schema is the newest (its migrations ran); a store opened
    /// without leave to upgrade may be older, and is then read as it is.
    public let isCurrent: Bool

    /// The store over an open database, as GRDB's guides shape it: the schema is
    /// brought up to date only when `migrate` allows (readers such as `check` never write).
    /// - Parameter path: where it is, for messages.
    public init(database: any DatabaseWriter, path: String, migrate: Bool) throws(StoreError) {
        self.path = path
        self.database = database
        do {
            if migrate { try Self.migrator.migrate(database) }
            isCurrent = try database.read { db in try Self.migrator.hasCompletedMigrations(db) }
        } catch let error as DatabaseError {
            throw StoreError(.damaged, path: path, "this file is not a usable signature store (\(error.message ?? "\(error.resultCode)")); keep a copy and point the campaign at another file")
        } catch {
            throw StoreError(.damaged, path: path, "cannot open the signature store: \(error)")
        }
        committer = GroupCommitter(database: database)
    }

    /// How every connection to a store is configured: wait for a busy writer, enforce foreign keys.
    public static func makeConfiguration(_ base: Configuration = Configuration()) -> Configuration {
        var configuration = base
        configuration.busyMode = .timeout(30)
        configuration.foreignKeysEnabled = true
        configuration.label = "signatures"
        return configuration
    }

    /// Opens the store at `path` (a WAL `DatabasePool`), creating it (and its schema)
    /// when `create` is true.
    /// - Parameter upgrade: whether its schema may be brought up to date (by default,
    ///   when it may be created). Readers such as `check` pass neither, and write nothing.
    public convenience init(path: String, create: Bool = true, upgrade: Bool? = nil) throws(StoreError) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            throw StoreError(.missing, path: path, "the folder \(folder) does not exist; create it or change \"signers\": {\"store\": …} in the campaign")
        }
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists, !create {
            throw StoreError(.missing, path: path, "no signature store here yet; `megaphone serve` creates it when the first supporter signs")
        }
        if !exists, !FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) {
            throw StoreError(.cannotCreate, path: path, "cannot create the signature store: the folder is not writable")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: Self.makeConfiguration())
            // DatabasePool sets the writer to synchronous=NORMAL; a signature acknowledged
            // must survive a power cut, so every commit is synced.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN || error.resultCode == .SQLITE_READONLY {
            throw StoreError(.cannotCreate, path: path, "cannot open the signature store for writing (\(error.message ?? "SQLite could not open it")); check the file's permissions")
        } catch let error as DatabaseError {
            throw StoreError(.damaged, path: path, "this file is not a usable signature store (\(error.message ?? "\(error.resultCode)")); keep a copy and point the campaign at another file")
        } catch {
            throw StoreError(.damaged, path: path, "cannot open the signature store: \(error)")
        }
        try self.init(database: pool, path: path, migrate: upgrade ?? create)
    }

    /// The writer's `synchronous` setting (2 is FULL), for tests that check durability.
    public func synchronousSetting() throws -> Int {
        try database.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// The writer's journal mode (`wal`).
    public func journalMode() throws -> String {
        try database.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: signatures, tokens, mail queue, campaign state") { db in
            try db.execute(sql: """
                CREATE TABLE signature (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    campaign TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'quarantined', 'withdrawn')),
                    email_key TEXT,
                    fields TEXT NOT NULL,
                    targets TEXT NOT NULL DEFAULT '[]',
                    created_at REAL NOT NULL,
                    verified_at REAL,
                    confirmed_at REAL,
                    withdrawn_at REAL,
                    notices INTEGER NOT NULL DEFAULT 0,
                    letters TEXT NOT NULL DEFAULT 'none' CHECK (letters IN ('none', 'due', 'done')),
                    UNIQUE (campaign, email_key)
                );
                CREATE INDEX signature_by_state ON signature (campaign, state, confirmed_at, id);
                CREATE TABLE token (
                    hash TEXT PRIMARY KEY,
                    signature_id INTEGER NOT NULL REFERENCES signature(id) ON DELETE CASCADE,
                    purpose TEXT NOT NULL CHECK (purpose IN ('confirm', 'withdraw')),
                    expires_at REAL
                );
                CREATE INDEX token_by_signature ON token (signature_id);
                CREATE TABLE mail (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    campaign TEXT NOT NULL,
                    signature_id INTEGER REFERENCES signature(id) ON DELETE SET NULL,
                    kind TEXT NOT NULL,
                    key TEXT NOT NULL UNIQUE,
                    envelope_from TEXT NOT NULL,
                    recipients TEXT NOT NULL,
                    bytes BLOB,
                    created_at REAL NOT NULL,
                    sent_at REAL
                );
                CREATE INDEX mail_unsent ON mail (sent_at, id);
                CREATE TABLE campaign_state (
                    campaign TEXT PRIMARY KEY,
                    closed INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2: counts kept beside the signatures, where a signature came from") { db in
            try db.execute(sql: CountTriggers.schema)
            try db.execute(sql: "ALTER TABLE signature ADD COLUMN source TEXT NOT NULL DEFAULT 'web'")
            // The letter-page mailer's "letters still to send": a few rows, found without
            // reading every confirmed signature.
            try db.execute(sql: "CREATE INDEX signature_letters_due ON signature (campaign, confirmed_at, id) WHERE letters = 'due'")
            try CountTriggers.recount(campaign: nil, in: db)
        }
        return migrator
    }
}
