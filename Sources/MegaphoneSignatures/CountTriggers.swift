import GRDB

/// The store's counts: how many signatures each campaign has in each state, and how
/// many letters they wrote (one per chosen recipient). A page view, `count.json`, the
/// admin page and the "nobody signed" error read one row here instead of counting a
/// million rows.
///
/// The counts are kept by SQLite triggers on the `signature` table, so they change in
/// the same transaction as the signature itself — a sign-up, a confirmation, a release
/// from quarantine, a withdrawal, an anonymisation, an import — whichever code path
/// made the change. (Applying them in batches from the one writer would save a row
/// write per change, but a crash between the two would leave the count wrong until a
/// recount, and every new write path would have to remember it.)
/// `megaphone signatures --recount` rebuilds them from the rows.
enum CountTriggers {
    static let schema = """
        CREATE TABLE signature_count (
            campaign TEXT NOT NULL,
            state TEXT NOT NULL,
            signatures INTEGER NOT NULL,
            letters INTEGER NOT NULL,
            PRIMARY KEY (campaign, state)
        ) WITHOUT ROWID;
        CREATE TRIGGER signature_counted AFTER INSERT ON signature BEGIN
            INSERT INTO signature_count (campaign, state, signatures, letters)
                VALUES (NEW.campaign, NEW.state, 1, json_array_length(NEW.targets))
                ON CONFLICT (campaign, state) DO UPDATE SET signatures = signatures + 1, letters = letters + excluded.letters;
        END;
        CREATE TRIGGER signature_recounted AFTER UPDATE OF campaign, state, targets ON signature
            WHEN OLD.campaign IS NOT NEW.campaign OR OLD.state IS NOT NEW.state OR OLD.targets IS NOT NEW.targets BEGIN
            UPDATE signature_count SET signatures = signatures - 1, letters = letters - json_array_length(OLD.targets)
                WHERE campaign = OLD.campaign AND state = OLD.state;
            INSERT INTO signature_count (campaign, state, signatures, letters)
                VALUES (NEW.campaign, NEW.state, 1, json_array_length(NEW.targets))
                ON CONFLICT (campaign, state) DO UPDATE SET signatures = signatures + 1, letters = letters + excluded.letters;
        END;
        CREATE TRIGGER signature_uncounted AFTER DELETE ON signature BEGIN
            UPDATE signature_count SET signatures = signatures - 1, letters = letters - json_array_length(OLD.targets)
                WHERE campaign = OLD.campaign AND state = OLD.state;
        END;
        """

    /// Rebuilds the counts of one campaign (all when nil) from its rows.
    static func recount(campaign: String?, in db: Database) throws {
        try db.execute(sql: "DELETE FROM signature_count WHERE ?1 IS NULL OR campaign = ?1", arguments: [campaign])
        try db.execute(sql: """
            INSERT INTO signature_count (campaign, state, signatures, letters)
                SELECT campaign, state, COUNT(*), COALESCE(SUM(json_array_length(targets)), 0) FROM signature
                WHERE ?1 IS NULL OR campaign = ?1 GROUP BY campaign, state
            """, arguments: [campaign])
    }
}
