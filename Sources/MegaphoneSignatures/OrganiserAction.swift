/// What the organiser's buttons on `/admin` do to a campaign in the store.
public enum OrganiserAction: String, Sendable, CaseIterable {
    /// Release quarantined signatures: confirmed ones count from now on.
    case release
    /// Refuse signing and confirming from now on, whatever the campaign's `closes`.
    case close
    /// Accept them again.
    case reopen
}
