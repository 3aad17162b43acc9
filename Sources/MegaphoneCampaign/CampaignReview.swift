import MegaphoneTemplate

/// What `check` warns of in the templates themselves, before any message: harms that
/// no single row shows, because they appear only when a supporter leaves a field
/// empty, or only in another language.
extension Campaign {
    /// The warnings, each at the template line and column concerned.
    public var reviewWarnings: [CampaignDiagnostic] {
        optionalFieldWarnings() + signerAddressWarnings() + languageDataWarnings()
    }

    /// Every template of the letter: language versions, their headers, the HTML twins.
    var letterTemplates: [(language: String, header: String?, template: Template)] {
        var all: [(String, String?, Template)] = []
        for (language, letter) in letters.sorted(by: { $0.key < $1.key }) {
            for header in letter.headers { all.append((language, header.name, header.template)) }
            all.append((language, nil, letter.body))
        }
        for (language, html) in htmls.sorted(by: { $0.key < $1.key }) { all.append((language, nil, html)) }
        return all
    }

    /// A joint letter whose signers go as files lists nobody in its body: a template that
    /// lists them (`{{#signers}}`) or counts them (`{{signers | count}}`) outside a
    /// `{{^signers_attached}}` section would say nothing, or 0. An error when they go
    /// as files now; for a store's petition (which grows while its page is up), a
    /// warning when `auto` will send them so past the threshold.
    func signerListingProblems() -> [CampaignDiagnostic] {
        guard manifest.mode == .joint, manifest.signersAs != .body else { return [] }
        let attachedNow = attachedSigners != nil
        // A signers file is the organiser's own list; a store grows while the page is up.
        guard attachedNow || manifest.signerStore != nil else { return [] }
        var problems: [CampaignDiagnostic] = []
        var seen: Set<String> = []
        for (_, _, template) in letterTemplates {
            for use in template.tagUses {
                let listsSigners = use.sections.contains("signers") || use.name == "signers" || use.name.hasPrefix("signers |") || use.name.hasPrefix("signers|")
                guard listsSigners, !use.sections.contains("^signers_attached") else { continue }
                // One diagnostic a template line: a list's fields share it.
                guard seen.insert("\(template.path):\(use.location.line)").inserted else { continue }
                let when = attachedNow
                    ? "its \(signerCount) signers go as files (signers.csv and signers.html), so the letter lists none of them"
                    : "past \(CampaignManifest.attachmentThreshold) signers (\"signers_as\": \"auto\") its signers go as files, and the letter would then list none of them"
                problems.append(CampaignDiagnostic(attachedNow ? .error : .warning, path: template.path, line: use.location.line, column: use.location.column,
                                                   message: "\(when): print {{signer_count}} (and {{#signer_places}}{{place}}: {{count}}{{/signer_places}}) for the count, and keep the list inside {{^signers_attached}}…{{/signers_attached}}; or give \"signers_as\": \"body\"",
                                                   sourceLine: use.sourceLine))
            }
        }
        return problems
    }

    /// The signer's field a tag prints: `signer.X` in each-signer mode, a name inside
    /// `{{#signers}}` in joint mode; nil for anything else.
    func signerField(printedBy use: TagUse) -> String? {
        switch manifest.mode {
        case .eachSigner: use.name.hasPrefix("signer.") ? String(use.name.dropFirst("signer.".count)) : nil
        case .joint: use.sections.contains("signers") ? use.name : nil
        case .eachRecipient: nil
        }
    }

    private func warning(_ template: Template, _ use: TagUse, _ message: String) -> CampaignDiagnostic {
        CampaignDiagnostic(.warning, path: template.path, line: use.location.line, column: use.location.column,
                           message: message, sourceLine: use.sourceLine)
    }

    /// A field the page does not require, printed where nothing hides it when empty:
    /// "CLAIRE DUBOIS / , Lyon", "Dear ,".
    func optionalFieldWarnings() -> [CampaignDiagnostic] {
        guard let page = manifest.page, manifest.mode != .eachRecipient else { return [] }
        var optional = page.fields.filter { !page.required.contains($0) }
        if manifest.mode == .eachSigner { optional.append("message") }
        var warnings: [CampaignDiagnostic] = []
        for (_, _, template) in letterTemplates {
            for use in template.tagUses where !use.hasDefault {
                guard let field = signerField(printedBy: use), optional.contains(field) else { continue }
                // Guarded by a section on the same name (inside the signers' list, in joint mode).
                let enclosing = manifest.mode == .joint
                    ? use.sections.lastIndex(of: "signers").map { use.sections[($0 + 1)...] } ?? []
                    : use.sections[...]
                guard !enclosing.contains(use.name) else { continue }
                warnings.append(warning(template, use, """
                    '\(field)' is optional on the page, but the letter prints {{\(use.name)}} whether or not it was filled in: \
                    a supporter who leaves it empty gets a broken line; wrap it in {{#\(use.name)}}…{{/\(use.name)}}, \
                    give it | default: "…", or list "\(field)" in the page's "required"
                    """))
            }
        }
        return warnings
    }

    /// A letter page's template that writes the supporter's address itself, past the
    /// choice the page asks them to make (`page.reply_to_signer`).
    func signerAddressWarnings() -> [CampaignDiagnostic] {
        guard let page = manifest.page, manifest.mode == .eachSigner, page.replyToSigner != .always else { return [] }
        var warnings: [CampaignDiagnostic] = []
        for (_, header, template) in letterTemplates {
            for use in template.tagUses where use.name == "signer.email" {
                let place = header.map { "the \($0) header" } ?? "the letter"
                warnings.append(warning(template, use, """
                    {{signer.email}} puts the supporter's email address in \(place), whatever they chose on the page \
                    (page.reply_to_signer is "\(page.replyToSigner.rawValue)"); remove it: Megaphone sets Reply-To \
                    from their choice
                    """))
            }
        }
        return warnings
    }

    /// A language version of the letter that prints data with no version in its language
    /// (a Russian letter listing English demands).
    func languageDataWarnings() -> [CampaignDiagnostic] {
        let own = manifest.locale.split(separator: "-").first.map { $0.lowercased() } ?? manifest.locale
        var warnings: [CampaignDiagnostic] = []
        var warned: Set<String> = []
        for (language, _, template) in letterTemplates where !language.isEmpty {
            let base = language.split(separator: "-").first.map(String.init) ?? language
            guard base != own else { continue }
            for use in template.tagUses {
                for written in use.sections.map({ $0.hasPrefix("^") ? String($0.dropFirst()) : $0 }) + [use.name] {
                    let name = written.split(separator: ".").first.map(String.init) ?? written
                    guard let source = dataSources[name], !source.languages.contains(language), !source.languages.contains(base),
                          warned.insert("\(language) \(name)").inserted else { continue }
                    let version = CampaignData.versionPath(of: source.path, language: language)
                    warnings.append(warning(template, use, """
                        the '\(language)' letter prints '\(name)' from \(source.path), which has no '\(language)' version: \
                        its recipients would read it as written there ('\(own)'); add \(version)
                        """))
                }
            }
        }
        return warnings
    }
}
