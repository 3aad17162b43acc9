public import Foundation
import GRDB

extension SignatureStore {
    /// Stores a signature (or notes a second one from the same address) and queues the
    /// email `mail` makes for what happened, in one transaction shared with whatever
    /// else arrived meanwhile. Returns once that transaction is on disk.
    /// - Parameter mail: given what happened and the signature's id, the email to queue (or nil).
    public func sign(_ request: SignRequest,
                     mail: @escaping @Sendable (SignDisposition, Int64) -> OutgoingMail?) async throws -> SignDisposition {
        try await committer.submit { db in try Self.sign(request, mail: { disposition, id, _ in mail(disposition, id) }, in: db) }
    }

    /// The same, with the fields kept for the address given to `mail`: for a second
    /// signature from one address, the first one's (its name greets the signer, never
    /// whatever the new form carried); for a new one, the request's.
    public func sign(_ request: SignRequest,
                     mailFor mail: @escaping @Sendable (SignDisposition, Int64, [String: String]) -> OutgoingMail?) async throws -> SignDisposition {
        try await committer.submit { db in try Self.sign(request, mail: mail, in: db) }
    }

    /// The same, in a transaction of its own (for tools and tests that are not async).
    public func signNow(_ request: SignRequest,
                        mail: @escaping @Sendable (SignDisposition, Int64) -> OutgoingMail?) throws -> SignDisposition {
        try committer.perform { db in try Self.sign(request, mail: { disposition, id, _ in mail(disposition, id) }, in: db) }
    }

    static func sign(_ request: SignRequest, mail: (SignDisposition, Int64, [String: String]) -> OutgoingMail?, in db: Database) throws -> SignDisposition {
        let now = request.now.timeIntervalSince1970
        let existing = try Row.fetchOne(try db.cachedStatement(sql: "SELECT id, state, notices, verified_at, fields FROM signature WHERE campaign = ? AND email_key = ?"),
                                        arguments: [request.campaign, request.emailKey])
        let id: Int64
        let disposition: SignDisposition
        var kept = request.fields
        if let existing {
            id = existing["id"]
            kept = SignatureFields.decode(existing["fields"] as String?)
            let notices: Int = existing["notices"]
            let verified = (existing["verified_at"] as Double?) != nil
            guard notices < request.maxNotices else { return .quiet }
            disposition = verified ? .alreadySigned : .pendingAgain
            try db.cachedStatement(sql: "UPDATE signature SET notices = notices + 1 WHERE id = ?").execute(arguments: [id])
        } else {
            try db.cachedStatement(sql: """
                INSERT INTO signature (campaign, state, email_key, fields, targets, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [request.campaign, request.quarantine ? SignatureState.quarantined.rawValue : SignatureState.pending.rawValue,
                                 request.emailKey, SignatureFields.encode(request.fields), SignatureFields.encode(request.targets), now])
            id = db.lastInsertedRowID
            disposition = .new
        }
        if disposition != .alreadySigned {
            try db.cachedStatement(sql: "INSERT INTO token (hash, signature_id, purpose, expires_at) VALUES (?, ?, 'confirm', ?)")
                .execute(arguments: [request.confirmToken.hash, id, request.expires.timeIntervalSince1970])
        }
        try db.cachedStatement(sql: "INSERT INTO token (hash, signature_id, purpose, expires_at) VALUES (?, ?, 'withdraw', NULL)")
            .execute(arguments: [request.withdrawToken.hash, id])
        if let outgoing = mail(disposition, id, kept) {
            try enqueue(outgoing, campaign: request.campaign, signature: id, now: now, in: db)
        }
        return disposition
    }

    static func enqueue(_ outgoing: OutgoingMail, campaign: String, signature: Int64?, now: Double, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO mail (campaign, signature_id, kind, key, envelope_from, recipients, bytes, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [campaign, signature, outgoing.kind, outgoing.key, outgoing.envelopeFrom,
                             SignatureFields.encode(outgoing.recipients), Data(outgoing.bytes), now])
    }
}

/// What a confirmation link did.
public enum ConfirmOutcome: Sendable, Equatable {
    /// Confirmed now: the count went up (or, quarantined, it will when released).
    case confirmed(Signature)
    /// Confirmed earlier: nothing changed.
    case alreadyConfirmed(Signature)
    /// The link is older than the campaign allows: sign again for a new one.
    case expired
    /// No such link, or its signature was withdrawn.
    case unknown
}

/// What a withdraw link did.
public enum WithdrawOutcome: Sendable, Equatable {
    case withdrawn
    case alreadyWithdrawn
    case unknown
}

extension SignatureStore {
    /// The signature a token of `purpose` belongs to, and when the token stops working
    /// (nil: never), whether or not it has expired; nil when the token is unknown.
    public func signature(token: Token, purpose: String) async throws -> (signature: Signature, expires: Date?)? {
        try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT signature.*, token.expires_at AS token_expires_at FROM token JOIN signature ON signature.id = token.signature_id
                WHERE token.hash = ? AND token.purpose = ?
                """, arguments: [token.hash, purpose]) else { return nil }
            let expires = (row["token_expires_at"] as Double?).map(Date.init(timeIntervalSince1970:))
            return (try Signature(row: row), expires)
        }
    }

    /// Confirms the signature a confirmation token belongs to. Idempotent: only the
    /// first confirmation changes anything, however many arrive at once.
    public func confirm(_ token: Token, now: Date = Date()) async throws -> ConfirmOutcome {
        try await committer.submit { db in try Self.confirm(token, now: now, in: db) }
    }

    static func confirm(_ token: Token, now: Date, in db: Database) throws -> ConfirmOutcome {
        guard let row = try Row.fetchOne(db, sql: "SELECT signature_id, expires_at FROM token WHERE hash = ? AND purpose = 'confirm'",
                                         arguments: [token.hash]) else { return .unknown }
        let id: Int64 = row["signature_id"]
        guard let signature = try Signature.fetchOne(db, sql: "SELECT * FROM signature WHERE id = ?", arguments: [id]),
              signature.state != .withdrawn else { return .unknown }
        if signature.verifiedAt != nil { return .alreadyConfirmed(signature) }
        if let expires = row["expires_at"] as Double?, expires < now.timeIntervalSince1970 { return .expired }
        let time = now.timeIntervalSince1970
        try db.execute(sql: """
            UPDATE signature SET verified_at = ?,
                confirmed_at = CASE state WHEN 'pending' THEN ? ELSE confirmed_at END,
                letters = CASE WHEN state = 'pending' AND targets != '[]' THEN 'due' ELSE letters END,
                state = CASE state WHEN 'pending' THEN 'confirmed' ELSE state END
            WHERE id = ? AND verified_at IS NULL
            """, arguments: [time, time, id])
        guard db.changesCount == 1,
              let updated = try Signature.fetchOne(db, sql: "SELECT * FROM signature WHERE id = ?", arguments: [id]) else {
            return .alreadyConfirmed(signature)
        }
        return .confirmed(updated)
    }

    /// Withdraws the signature a withdraw token belongs to: it stops counting and its
    /// personal data, tokens for confirming and unsent mail are erased.
    public func withdraw(_ token: Token, now: Date = Date()) async throws -> WithdrawOutcome {
        try await committer.submit { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT signature_id FROM token WHERE hash = ? AND purpose = 'withdraw'",
                                              arguments: [token.hash]) else { return .unknown }
            guard let state = try String.fetchOne(db, sql: "SELECT state FROM signature WHERE id = ?", arguments: [id]) else { return .unknown }
            if state == SignatureState.withdrawn.rawValue { return .alreadyWithdrawn }
            try Self.erase(signature: id, now: now, in: db)
            return .withdrawn
        }
    }

    static func erase(signature id: Int64, now: Date, in db: Database) throws {
        try db.execute(sql: """
            UPDATE signature SET state = 'withdrawn', email_key = NULL, fields = '{}', targets = '[]',
                withdrawn_at = ?, letters = CASE letters WHEN 'due' THEN 'none' ELSE letters END
            WHERE id = ?
            """, arguments: [now.timeIntervalSince1970, id])
        try db.execute(sql: "DELETE FROM token WHERE signature_id = ? AND purpose = 'confirm'", arguments: [id])
        try db.execute(sql: "DELETE FROM mail WHERE signature_id = ? AND sent_at IS NULL", arguments: [id])
        try db.execute(sql: "UPDATE mail SET bytes = NULL, recipients = '[]' WHERE signature_id = ?", arguments: [id])
    }
}
