import MegaphoneTemplate

/// What of a supporter's form leaves the site, read from the campaign itself so that
/// a page can say it truthfully: the fields the letter prints, and to whom it goes.
public struct Disclosure: Sendable, Equatable {
    /// The page's fields that the delivered letter or petition carries, in the page's
    /// order (`message` last, for a letter page's own paragraph).
    public let fields: [String]
    /// Whether every letter carries the supporter's email address whatever they choose
    /// (`"from": "signer"`, `reply_to_signer: "always"`, or a template that prints it).
    public let addressAlwaysSent: Bool
    /// Whether the supporter chooses if their address goes with the letter (`reply_to_signer: "ask"`).
    public let addressOnRequest: Bool
}

extension Campaign {
    /// The signers' fields the letter's templates print (`signer.X`, or inside `{{#signers}}`).
    var printedSignerFields: Set<String> {
        Set(letterTemplates.flatMap { $0.template.tagUses.compactMap(signerField(printedBy:)) })
    }

    /// What a signature on this campaign's page gives to its recipients.
    public var disclosure: Disclosure {
        let page = manifest.page
        let fields = (page?.fields ?? ["name"]) + (manifest.mode == .eachSigner ? ["message"] : [])
        var printed = printedSignerFields
        // A letter page's letters are from "NAME via CAMPAIGN": the name always goes.
        if manifest.mode == .eachSigner { printed.insert("name") }
        let always = manifest.mode == .eachSigner
            && (manifest.from == .signer || page?.replyToSigner == .always || printed.contains("email"))
        let onRequest = manifest.mode == .eachSigner && !always && page?.replyToSigner == .ask
        return Disclosure(fields: fields.filter { $0 != "email" && printed.contains($0) }, addressAlwaysSent: always, addressOnRequest: onRequest)
    }
}
