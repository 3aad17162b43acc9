import MegaphoneCampaign
import MegaphoneMail

/// Builds a run's spool during the check pass. When an earlier run left a spool of
/// the same campaign, it is kept while every message to send now is in it with the
/// same hash (nothing is written); at the first difference a new spool is started,
/// the messages already matched copied over from the earlier one. Otherwise each
/// checked message is written as it is composed.
final class SpoolBuilder {
    let path: String
    let campaign: String
    private var earlier: SpoolReader?
    private var lookahead: SpoolEntry?
    private var writer: SpoolWriter?
    /// The messages this run may send: the sending pass skips anything else in the spool.
    private(set) var approved = MessageNumbers()
    /// Messages found in the earlier spool so far (all numbered below the one being added).
    private var matched = 0

    init(path: String, campaign: String) throws(SpoolError) {
        self.path = path
        self.campaign = campaign
        if let reader = try? SpoolReader(path: path), reader.campaign == campaign {
            earlier = reader
        } else {
            writer = try SpoolWriter(path: path, campaign: campaign)
        }
    }

    func add(_ message: ComposedMessage, hash: String) throws(SpoolError) {
        approved.insert(message.number)
        if earlier != nil {
            if matchesEarlier(message, hash: hash) { return }
            try startWriting()
        }
        try writer?.append(SpoolEntry(number: message.number, key: message.key, messageID: message.message.messageID,
                                      envelopeFrom: message.message.envelopeFrom.description,
                                      recipients: message.message.envelopeRecipients.map(\.description), hash: hash, bytes: message.bytes))
    }

    private func matchesEarlier(_ message: ComposedMessage, hash: String) -> Bool {
        guard let earlier else { return false }
        do {
            while true {
                // Hashed again as it is read: a damaged entry ends the reuse here, before it is relied on.
                if lookahead == nil { lookahead = try earlier.next() }
                guard let entry = lookahead else { return false }
                if entry.number < message.number {
                    lookahead = nil
                    continue
                }
                guard entry.number == message.number, entry.key == message.key, entry.hash == hash else { return false }
                lookahead = nil
                matched += 1
                return true
            }
        } catch {
            return false
        }
    }

    /// Starts a new spool holding the messages matched so far, read (and hashed
    /// again) from the earlier spool; reading stops before anything not matched.
    private func startWriting() throws(SpoolError) {
        earlier = nil
        lookahead = nil
        let writer = try SpoolWriter(path: path, campaign: campaign)
        var copied = 0
        if matched > 0, let again = try SpoolReader(path: path) {
            while copied < matched, let entry = try again.next() {
                if approved.contains(entry.number) {
                    try writer.append(entry)
                    copied += 1
                }
            }
        }
        self.writer = writer
    }

    /// Puts the spool in place; true when the earlier one was kept.
    @discardableResult
    func commit() throws(SpoolError) -> Bool {
        if let earlier {
            // The earlier spool must end properly; if it does not, write a new one from
            // its messages already matched (all before the damage).
            do {
                if lookahead == nil { lookahead = try earlier.next(verifying: false) }
                while lookahead != nil { lookahead = try earlier.next(verifying: false) }
                return true
            } catch {
                try startWriting()
            }
        }
        try writer?.commit()
        return false
    }

    /// Drops what this run wrote; an earlier spool stays.
    func abort() {
        writer?.abort()
        writer = nil
    }
}

/// A set of message numbers as a bit array: an eighth of a megabyte for a million messages.
struct MessageNumbers {
    private var words: [UInt64] = []

    mutating func insert(_ number: Int) {
        guard number >= 0 else { return }
        let word = number >> 6
        if word >= words.count { words += [UInt64](repeating: 0, count: max(word + 1 - words.count, words.count)) }
        words[word] |= 1 << UInt64(number & 63)
    }

    func contains(_ number: Int) -> Bool {
        guard number >= 0, number >> 6 < words.count else { return false }
        return words[number >> 6] & (1 << UInt64(number & 63)) != 0
    }
}
