extension Campaign {
    /// A joint letter with nobody under it, or an each-signer campaign with no signer
    /// (no letter at all): an error for `check`, `render` and `send` unless the
    /// organiser says an empty campaign is meant (`--allow-empty`). `serve` opens such
    /// campaigns as they are: a new petition starts empty.
    public var emptySignersProblem: CampaignDiagnostic? {
        guard manifest.mode != .eachRecipient, signerCount == 0 else { return nil }
        let source: String
        if let store = manifest.signerStore {
            let waiting = waitingSigners == 0 ? "" : ", \(waitingSigners) waiting for confirmation or release"
            source = "\(store) holds 0 confirmed signatures for '\(manifest.name)'\(waiting)"
        } else if let file = manifest.signers {
            source = "\(file) lists no signer"
        } else {
            source = "no \"signers\" are given"
        }
        let harm = manifest.mode == .joint
            ? "its joint letter would go to every recipient signed by nobody"
            : "it would send no letter (0 messages)"
        return CampaignDiagnostic(path: manifest.path, message: "the campaign '\(manifest.name)' has no signer (\(source)): \(harm); wait for confirmed signatures, or give --allow-empty if that is really meant")
    }
}
