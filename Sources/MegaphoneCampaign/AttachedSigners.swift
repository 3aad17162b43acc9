import Foundation
public import MegaphoneMail

/// A joint letter's signers when they go as files (`signers_as`): how many signed,
/// where from, and the files themselves, made once for every message of the campaign
/// on first use — or, when they would make the letter larger than the campaign may
/// send, only measured.
public final class AttachedSigners: @unchecked Sendable {
    public let count: Int
    /// Signatures by country or city (the page's field): the `shownPlaces` most named, most first.
    public let places: [(place: String, count: Int)]
    /// How many places a letter names; it counts the other signers together.
    public static let shownPlaces = 20
    let source: SignerFiles.Source
    private let lock = NSLock()
    private var resolved: Files?

    /// The files, or why they cannot go.
    public enum Files: Sendable {
        case attached([Attachment])
        /// Their size in a message (base64), over what the campaign may send.
        case tooLarge(Int)
        case failed(String)
    }

    init(count: Int, places: [(place: String, count: Int)], source: SignerFiles.Source) {
        self.count = count
        self.places = places
        self.source = source
    }

    /// The files with `columns`, measured first: kept only when they fit in `limit` bytes.
    func files(columns: [String], title: String, language: String, limit: Int) -> Files {
        lock.lock()
        defer { lock.unlock() }
        if let resolved { return resolved }
        let files = SignerFiles(columns: columns, title: title, language: language, count: count)
        let outcome: Files
        do {
            let size = try files.encodedSize(from: source)
            outcome = size > limit ? .tooLarge(size) : .attached(try files.attachments(from: source))
        } catch {
            outcome = .failed("\(error)")
        }
        resolved = outcome
        return outcome
    }

    /// The places of in-memory signers, grouped as the store groups them (case and
    /// surrounding spaces ignored; the first spelling shown).
    static func places(of rows: [Campaign.SignerRow], field: String?) -> [(place: String, count: Int)] {
        guard let field else { return [] }
        var order: [String] = []
        var counts: [String: (place: String, count: Int)] = [:]
        for row in rows {
            let place = (row.fields[field] ?? "").trimmingSpaces
            let key = place.lowercased()
            if let seen = counts[key] { counts[key] = (seen.place, seen.count + 1) } else {
                counts[key] = (place, 1)
                order.append(key)
            }
        }
        let sorted = order.compactMap { counts[$0] }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.place < $1.place }
        return Array(sorted.prefix(shownPlaces))
    }

    /// The field signers are counted by: country when the page (or the signers file)
    /// asks for it, else city; nil when neither.
    static func placeField(_ manifest: CampaignManifest, rows: [Campaign.SignerRow]) -> String? {
        let fields = manifest.page?.fields ?? rows.first.map { Array($0.fields.keys) } ?? []
        return fields.contains("country") ? "country" : fields.contains("city") ? "city" : nil
    }
}
