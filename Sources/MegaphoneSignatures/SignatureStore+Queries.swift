public import Foundation
import GRDB

extension SignatureStore {
    /// Confirmed signatures of `campaign`: each address once, so this is the count.
    /// One row read, however many signed (the counts are kept as signatures change).
    public func confirmedCount(campaign: String) throws -> Int {
        try database.read { db in try Tally.fetch(campaign: campaign, in: db).confirmed }
    }

    /// How many letters confirmed letter-page signers wrote: one to each recipient they chose.
    public func confirmedLetterCount(campaign: String) throws -> Int {
        try database.read { db in try Tally.fetch(campaign: campaign, in: db).letters }
    }

    /// How many signatures are in each state.
    public func counts(campaign: String) throws -> [SignatureState: Int] {
        try database.read { db in try Tally.fetch(campaign: campaign, in: db).byState }
    }

    /// The counts and the organiser's open/closed choice, read off the server's event
    /// loops (GRDB's own reader threads), for a page view.
    public func tally(campaign: String) async throws -> Tally {
        try await database.read { db in try Tally.fetch(campaign: campaign, in: db) }
    }

    /// Rebuilds the kept counts of `campaign` from its signatures; returns the counts
    /// before and after (they differ only if something went wrong).
    public func recount(campaign: String) throws -> (before: Tally, after: Tally) {
        try committer.perform { db in
            let before = try Tally.fetch(campaign: campaign, in: db)
            try CountTriggers.recount(campaign: campaign, in: db)
            return (before, try Tally.fetch(campaign: campaign, in: db))
        }
    }

    /// The counts as a full scan of the rows finds them (what `recount` would write), without changing anything.
    public func countedFromRows(campaign: String) throws -> Tally {
        try database.read { db in try Tally.counted(campaign: campaign, in: db) }
    }

    /// Signatures in `state` (all states when nil): confirmed ones in the order they
    /// were confirmed, the others in the order they signed; the newest first when `newestFirst`.
    public func signatures(campaign: String, state: SignatureState?, limit: Int? = nil, newestFirst: Bool = false) throws -> [Signature] {
        try database.read { db in
            let (sql, arguments) = Self.listing(campaign: campaign, state: state, limit: limit, newestFirst: newestFirst)
            return try Signature.fetchAll(db, sql: sql, arguments: arguments)
        }
    }

    /// The same signatures one at a time, from a cursor: memory stays flat however many
    /// there are. `body` runs inside one read transaction (a snapshot: signatures
    /// arriving meanwhile are not seen).
    public func forEachSignature(campaign: String, state: SignatureState?, _ body: (Signature) throws -> Void) throws {
        try database.read { db in
            let (sql, arguments) = Self.listing(campaign: campaign, state: state, limit: nil, newestFirst: false)
            let cursor = try Signature.fetchCursor(db, sql: sql, arguments: arguments)
            while let signature = try cursor.next() { try body(signature) }
        }
    }

    /// The `limit` values of `field` (`country`, `city`) that most confirmed signatures
    /// name, most first, with their counts; values differing only in case or surrounding
    /// spaces are one.
    public func confirmedPlaces(campaign: String, field: String, limit: Int) throws -> [(place: String, count: Int)] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT MIN(TRIM(COALESCE(json_extract(fields, ?), ''))) AS place, COUNT(*) AS n FROM signature
                WHERE campaign = ? AND state = 'confirmed' GROUP BY LOWER(TRIM(COALESCE(json_extract(fields, ?), ''))) ORDER BY n DESC, place LIMIT ?
                """, arguments: ["$." + field, campaign, "$." + field, limit]).map { ($0["place"], $0["n"]) }
        }
    }

    /// The newest signatures in any state (the admin page's list), read off the caller's thread.
    public func latestSignatures(campaign: String, limit: Int) async throws -> [Signature] {
        try await database.read { db in
            let (sql, arguments) = Self.listing(campaign: campaign, state: nil, limit: limit, newestFirst: true)
            return try Signature.fetchAll(db, sql: sql, arguments: arguments)
        }
    }

    /// Confirmed signatures in the order they were confirmed, `limit` at a time after
    /// `position` (nil: from the start), read off the caller's thread: for a server that
    /// streams them out without holding a read transaction between pieces.
    public func confirmedSignatures(after position: ListPosition?, limit: Int, campaign: String) async throws -> [Signature] {
        try await database.read { db in
            guard let position else {
                return try Signature.fetchAll(db.cachedStatement(sql: """
                    SELECT * FROM signature WHERE campaign = ? AND state = 'confirmed' ORDER BY confirmed_at, id LIMIT ?
                    """), arguments: [campaign, limit])
            }
            return try Signature.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM signature WHERE campaign = ? AND state = 'confirmed' AND (confirmed_at, id) > (?, ?)
                ORDER BY confirmed_at, id LIMIT ?
                """), arguments: [campaign, position.time, position.id, limit])
        }
    }

    /// The SQL of a listing: confirmed signatures by confirmation time (the index on
    /// campaign, state, confirmed_at), the others by id.
    static func listing(campaign: String, state: SignatureState?, limit: Int?, newestFirst: Bool) -> (String, StatementArguments) {
        // Without a state, `+campaign` keeps SQLite on the table's own order (id), so
        // "the newest 25" stops after 25 rows instead of sorting every signature.
        var sql = state == nil ? "SELECT * FROM signature WHERE +campaign = ?" : "SELECT * FROM signature WHERE campaign = ?"
        var arguments: StatementArguments = [campaign]
        if let state {
            sql += " AND state = ?"
            _ = arguments.append(contentsOf: [state.rawValue])
        }
        let direction = newestFirst ? "DESC" : "ASC"
        sql += state == .confirmed ? " ORDER BY confirmed_at \(direction), id \(direction)" : " ORDER BY id \(direction)"
        if let limit {
            sql += " LIMIT ?"
            _ = arguments.append(contentsOf: [limit])
        }
        return (sql, arguments)
    }

    /// Releases every quarantined signature: one that was confirmed by email counts
    /// from now on; one that was not goes back to pending. Returns how many.
    @discardableResult
    public func releaseQuarantined(campaign: String, now: Date = Date()) throws -> Int {
        try committer.perform { db in try Self.releaseQuarantined(campaign: campaign, now: now, in: db) }
    }

    static func releaseQuarantined(campaign: String, now: Date, in db: Database) throws -> Int {
        try db.execute(sql: """
            UPDATE signature SET
                confirmed_at = CASE WHEN verified_at IS NULL THEN NULL ELSE ? END,
                letters = CASE WHEN verified_at IS NOT NULL AND targets != '[]' THEN 'due' ELSE letters END,
                state = CASE WHEN verified_at IS NULL THEN 'pending' ELSE 'confirmed' END
            WHERE campaign = ? AND state = 'quarantined'
            """, arguments: [now.timeIntervalSince1970, campaign])
        return db.changesCount
    }

    /// Replaces every signer's name, email, organisation, city and message by
    /// placeholders (`Signer 12`), keeping states and counts; tokens and unsent mail go.
    /// For after a campaign has closed. Returns how many signatures were changed.
    @discardableResult
    public func anonymise(campaign: String) throws -> Int {
        try committer.perform { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, fields FROM signature WHERE campaign = ? AND state != 'withdrawn' ORDER BY id",
                                        arguments: [campaign])
            var changed = 0
            for (index, row) in rows.enumerated() {
                let id: Int64 = row["id"]
                var fields = SignatureFields.decode(row["fields"])
                if fields["anonymised"] == "yes" { continue }
                for key in Array(fields.keys) { fields[key] = "" }
                fields["name"] = "Signer \(index + 1)"
                fields["email"] = "signer-\(index + 1)@anonymised.invalid"
                fields["anonymised"] = "yes"
                try db.execute(sql: "UPDATE signature SET fields = ?, email_key = NULL, targets = '[]' WHERE id = ?",
                               arguments: [SignatureFields.encode(fields), id])
                changed += 1
            }
            try db.execute(sql: "DELETE FROM token WHERE signature_id IN (SELECT id FROM signature WHERE campaign = ?)", arguments: [campaign])
            try db.execute(sql: "DELETE FROM mail WHERE campaign = ? AND sent_at IS NULL", arguments: [campaign])
            try db.execute(sql: "UPDATE mail SET bytes = NULL, recipients = '[]' WHERE campaign = ?", arguments: [campaign])
            return changed
        }
    }

    /// Whether the organiser closed (true) or reopened (false) the campaign; nil when
    /// neither, so the campaign's own `closes` time decides.
    public func closedOverride(campaign: String) throws -> Bool? {
        try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT closed FROM campaign_state WHERE campaign = ?", arguments: [campaign])
        }
    }

    public func setClosed(_ closed: Bool, campaign: String) throws {
        try committer.perform { db in try Self.setClosed(closed, campaign: campaign, in: db) }
    }

    static func setClosed(_ closed: Bool, campaign: String, in db: Database) throws {
        try db.execute(sql: "INSERT INTO campaign_state (campaign, closed) VALUES (?, ?) ON CONFLICT(campaign) DO UPDATE SET closed = excluded.closed",
                       arguments: [campaign, closed])
    }

    /// An organiser's button on `/admin`, done through the server's one writer (the
    /// group commit that signing uses), off the threads that answer HTTP; returns once on disk.
    @discardableResult
    public func perform(_ action: OrganiserAction, campaign: String, now: Date = Date()) async throws -> Int {
        try await committer.submit { db in
            switch action {
            case .release: return try Self.releaseQuarantined(campaign: campaign, now: now, in: db)
            case .close:
                try Self.setClosed(true, campaign: campaign, in: db)
                return 1
            case .reopen:
                try Self.setClosed(false, campaign: campaign, in: db)
                return 1
            }
        }
    }
}

extension SignatureStore {
    /// The oldest emails waiting for one campaign, not yet handed to delivery.
    public func unsentMail(campaign: String, limit: Int) throws -> [QueuedMail] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM mail WHERE sent_at IS NULL AND bytes IS NOT NULL AND campaign = ? ORDER BY id LIMIT ?",
                             arguments: [campaign, limit]).map(Self.queuedMail)
        }
    }

    private static func queuedMail(_ row: Row) -> QueuedMail {
        let bytes: Data = row["bytes"]
        return QueuedMail(id: row["id"], campaign: row["campaign"],
                          mail: OutgoingMail(kind: row["kind"], key: row["key"], envelopeFrom: row["envelope_from"],
                                             recipients: SignatureFields.decodeList(row["recipients"]), bytes: [UInt8](bytes)))
    }

    /// How many emails wait to be sent.
    public func unsentMailCount() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM mail WHERE sent_at IS NULL AND bytes IS NOT NULL") ?? 0 }
    }

    /// Marks queued emails as handed over and forgets their text (it carries tokens),
    /// all in one write that rides along in the next group transaction.
    public func markSent(_ ids: [Int64], now: Date = Date()) throws {
        guard !ids.isEmpty else { return }
        try committer.perform { db in
            let statement = try db.cachedStatement(sql: "UPDATE mail SET sent_at = ?, bytes = NULL WHERE id = ?")
            for id in ids { try statement.execute(arguments: [now.timeIntervalSince1970, id]) }
        }
    }

    /// Confirmed letter-page signatures whose letters are still to be sent, from the
    /// partial index of those alone (SQLite would otherwise walk every confirmed one).
    public func lettersDue(campaign: String) throws -> [Signature] {
        try database.read { db in
            try Signature.fetchAll(db, sql: """
                SELECT * FROM signature INDEXED BY signature_letters_due
                WHERE campaign = ? AND state = 'confirmed' AND letters = 'due' ORDER BY confirmed_at, id
                """,
                                   arguments: [campaign])
        }
    }

    public func markLettersSent(_ id: Int64) throws {
        try committer.perform { db in
            try db.execute(sql: "UPDATE signature SET letters = 'done' WHERE id = ? AND letters = 'due'", arguments: [id])
        }
    }
}
