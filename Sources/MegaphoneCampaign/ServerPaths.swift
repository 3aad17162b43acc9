/// The first path segments `megaphone serve` keeps for its own pages. The server's
/// routes are built from these names, and `CampaignName` refuses them as campaign
/// names (a campaign's page is `/NAME`, so a campaign named `u` would be answered
/// by the unsubscribe route).
public enum ServerPaths {
    /// `/confirm/TOKEN`: a supporter confirms a signature.
    public static let confirm = "confirm"
    /// `/withdraw/TOKEN`: a supporter withdraws a signature.
    public static let withdraw = "withdraw"
    /// `/u/TOKEN`: one-click unsubscribe (short, as it goes in every supporter mail).
    public static let unsubscribe = "u"
    /// `/admin`: the organiser's page.
    public static let admin = "admin"
    /// `/healthz`: the load balancer's check.
    public static let health = "healthz"
    /// `/static/…`: the pages' stylesheet and script.
    public static let assets = "static"

    /// The routes the server has today.
    public static let inUse = [confirm, withdraw, unsubscribe, admin, health, assets]

    /// Kept free for pages to come (an API, press pages, printable sheets, a long
    /// form of the unsubscribe link), so adding one never takes a campaign's address.
    public static let keptForLater = ["api", "assets", "index", "press", "print", "unsubscribe"]

    /// Every name a campaign may not have.
    public static let reserved: Set<String> = Set(inUse + keptForLater)
}
