import GRDB

/// A campaign's counts as the store keeps them: signatures in each state, letters
/// written by confirmed signers, and whether the organiser closed or reopened it.
public struct Tally: Sendable, Equatable {
    public var byState: [SignatureState: Int]
    /// Letters of confirmed letter-page signers: one to each recipient they chose.
    public var letters: Int
    /// The organiser's Close (true) or Reopen (false); nil when neither.
    public var closedOverride: Bool?

    public var confirmed: Int { byState[.confirmed] ?? 0 }
    /// Signatures that do not count yet: waiting for their confirmation, or held back.
    public var waiting: Int { (byState[.pending] ?? 0) + (byState[.quarantined] ?? 0) }

    /// Nobody counted, no choice made: what a page shows when the counts cannot be read.
    public static let empty = Tally(byState: [:], letters: 0, closedOverride: nil)

    /// The kept counts; a store older than them, opened by a reader that may not
    /// upgrade it, is counted from its rows.
    static func fetch(campaign: String, in db: Database) throws -> Tally {
        try fetch(campaign: campaign, fromRows: !db.tableExists("signature_count"), in: db)
    }

    /// The counts as a full scan of the rows finds them (what a recount writes).
    static func counted(campaign: String, in db: Database) throws -> Tally {
        try fetch(campaign: campaign, fromRows: true, in: db)
    }

    private static func fetch(campaign: String, fromRows: Bool, in db: Database) throws -> Tally {
        var byState: [SignatureState: Int] = [:]
        var letters = 0
        for state in SignatureState.allCases { byState[state] = 0 }
        let sql = fromRows
            ? "SELECT state, COUNT(*) AS signatures, COALESCE(SUM(json_array_length(targets)), 0) AS letters FROM signature WHERE campaign = ? GROUP BY state"
            : "SELECT state, signatures, letters FROM signature_count WHERE campaign = ?"
        for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: [campaign]) {
            guard let state = SignatureState(rawValue: row["state"]) else { continue }
            byState[state] = row["signatures"]
            if state == .confirmed { letters = row["letters"] }
        }
        let closed = try Bool.fetchOne(db.cachedStatement(sql: "SELECT closed FROM campaign_state WHERE campaign = ?"), arguments: [campaign])
        return Tally(byState: byState, letters: letters, closedOverride: closed)
    }
}
