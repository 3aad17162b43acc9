import ArgumentParser
import MegaphoneCampaign

/// Helpers shared by the campaign commands.
enum CampaignCommands {
    /// Opens a campaign, printing its warnings; errors are thrown.
    /// - Parameter requireSigners: a joint letter nobody signed, or an each-signer
    ///   campaign with no signer, is an error (commands that compose letters; not `serve`).
    ///   - signers: `.none` for the server, whose pages count from the store.
    static func open(_ path: String, console: Console, requireSigners: Bool = false, signers: Campaign.SignerReading = .all) throws -> Campaign {
        let (campaign, problems) = Campaign.open(path, signers: signers)
        guard let campaign else { throw CampaignFailure(diagnostics: problems) }
        if requireSigners, let empty = campaign.emptySignersProblem { throw CampaignFailure(diagnostics: [empty]) }
        for warning in problems where warning.severity == .warning { console.err("\(warning)\n") }
        return campaign
    }
}
