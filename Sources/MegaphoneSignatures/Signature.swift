public import Foundation
public import GRDB

/// One signature as the store holds it: the form's fields (name, email, organisation,
/// city, country, message…), the targets a letter page's signer chose, and its state.
public struct Signature: Sendable, Equatable {
    public var id: Int64
    public var campaign: String
    public var state: SignatureState
    /// The fields as the signer typed them (after checking). Erased fields are placeholders.
    public var fields: [String: String]
    /// The recipients' addresses a letter-page signer chose (empty on a petition).
    public var targets: [String]
    public var createdAt: Date
    /// When the signer clicked the confirmation button (also for a quarantined signature).
    public var verifiedAt: Date?
    /// When it started to count: confirmed, or released from quarantine after confirming.
    public var confirmedAt: Date?
    public var withdrawnAt: Date?
    /// Whether the supporter's own letters are still to be sent (letter pages only).
    public var lettersDue: Bool

    public var name: String { fields["name"] ?? "" }
    public var email: String { fields["email"] ?? "" }
}

extension Signature: FetchableRecord {
    public init(row: Row) throws {
        id = row["id"]
        campaign = row["campaign"]
        state = SignatureState(rawValue: row["state"]) ?? .pending
        fields = SignatureFields.decode(row["fields"])
        targets = SignatureFields.decodeList(row["targets"])
        createdAt = Date(timeIntervalSince1970: row["created_at"])
        verifiedAt = (row["verified_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        confirmedAt = (row["confirmed_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        withdrawnAt = (row["withdrawn_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        lettersDue = row["letters"] == "due"
    }
}

/// Fields are kept as one JSON object per signature, so a campaign can ask for any fields.
enum SignatureFields {
    static func encode(_ fields: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func encode(_ list: [String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: list, options: [])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String?) -> [String: String] {
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String] else { return [:] }
        return object
    }

    static func decodeList(_ text: String?) -> [String] {
        guard let text, let list = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String] else { return [] }
        return list
    }
}
