/// Where a signature is in its life: signed but not yet confirmed by email, confirmed
/// (counted and exported), held back as suspected abuse, or withdrawn by its signer.
public enum SignatureState: String, Sendable, CaseIterable, Codable {
    case pending
    case confirmed
    /// Over a rate limit: never counted or exported until the organiser releases it.
    case quarantined
    /// Taken back by the signer: personal data erased, never counted.
    case withdrawn
}
