import Foundation

/// The rule for a campaign's `"name"`. The name is the address of the campaign's
/// page (`/NAME`), part of every Message-ID and the `X-Campaign` header, and the key
/// of its rows in a signature store, so it is a lower-case slug: letters a–z, digits
/// and `-`, starting with a letter or digit, at most `maxLength` characters, and not
/// one of the server's own path names (`ServerPaths.reserved`).
public enum CampaignName {
    /// The longest name allowed: long enough for "petition-karatobe-oil-workers-2026",
    /// short enough for an address someone reads out.
    public static let maxLength = 64

    /// What is wrong with `name`, and how to fix it; nil when it is a good name.
    public static func problem(_ name: String) -> String? {
        if ServerPaths.reserved.contains(name) {
            let words = ServerPaths.reserved.sorted().joined(separator: ", ")
            return "\"name\" '\(name)' is an address the server keeps for its own pages (/\(name)/…); the names \(words) are taken: choose another, as in \"\(slug(name))\""
        }
        guard isSlug(name) else {
            return "\"name\" must be a lower-case slug (letters a–z, digits and '-', starting with a letter or digit, at most \(maxLength) characters): it is the address of the campaign's page (/NAME) and part of every Message-ID; write \"\(slug(name))\""
        }
        return nil
    }

    /// Whether `name` has the slug form (reserved names aside).
    static func isSlug(_ name: String) -> Bool {
        let scalars = name.unicodeScalars
        guard let first = scalars.first, scalars.count <= maxLength, first != "-" else { return false }
        return scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// A good name made from `name`: transliterated to Latin letters, lower-cased,
    /// every other run of characters turned into one `-`, shortened to `maxLength`;
    /// a reserved word gets `-campaign` added. "Pétition Karatöbe!" → "petition-karatobe".
    public static func slug(_ name: String) -> String {
        let latin = name.applyingTransform(StringTransform("Any-Latin; Latin-ASCII; Lower"), reverse: false)
            ?? name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        var slug = ""
        for scalar in latin.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug.append("-")
            }
        }
        slug = String(slug.prefix(maxLength))
        while slug.hasSuffix("-") { slug.removeLast() }
        if slug.isEmpty { return "campaign" }
        if ServerPaths.reserved.contains(slug) { return slug + "-campaign" }
        return slug
    }
}
