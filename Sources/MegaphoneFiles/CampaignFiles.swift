import Foundation

/// The files Megaphone keeps beside a campaign file, named once:
///
///     campaigns/solidarity.json                  the campaign
///     campaigns/solidarity.sendlog.jsonl         its send log
///     campaigns/solidarity.redirect.sendlog.jsonl  a --redirect-to run's log
///     campaigns/solidarity.spool                 the checked messages (beside the log)
///     campaigns/solidarity.bounces.jsonl         returned mail read (beside the log)
///     campaigns/solidarity.signer-mail.sendlog.jsonl  the server's confirmation mails
///     campaigns/solidarity.suppressed.txt        addresses no longer written to
///     campaigns/solidarity.secret                the key of its tokens
public struct CampaignFiles: Sendable, Equatable {
    /// The campaign file's path.
    public let campaign: String

    public init(campaign: String) {
        self.campaign = campaign
    }

    /// `campaigns/solidarity.json` + `.suppressed.txt` → `campaigns/solidarity.suppressed.txt`.
    public func sibling(_ suffix: String) -> String {
        let url = URL(fileURLWithPath: campaign)
        let name = url.deletingPathExtension().lastPathComponent
        let folder = (campaign as NSString).deletingLastPathComponent
        return folder.isEmpty ? name + suffix : folder + "/" + name + suffix
    }

    /// The send log `send` and `serve` write (a `--redirect-to` run keeps its own).
    public func sendLog(redirected: Bool = false) -> String { sibling(redirected ? ".redirect.sendlog.jsonl" : ".sendlog.jsonl") }
    public var suppressed: String { sibling(".suppressed.txt") }
    public var secret: String { sibling(".secret") }

    /// A file that belongs to a send log, named from it: `NAME.sendlog.jsonl` (or
    /// `NAME.jsonl`) + `.spool` → `NAME.spool`; any other name gets the suffix added.
    public static func beside(log: String, _ suffix: String) -> String {
        for ending in [".sendlog.jsonl", ".jsonl"] where log.hasSuffix(ending) {
            return String(log.dropLast(ending.count)) + suffix
        }
        return log + suffix
    }

    public static func spool(forLog log: String) -> String { beside(log: log, ".spool") }
    public static func bounces(forLog log: String) -> String { beside(log: log, ".bounces.jsonl") }
    public static func signerMailLog(forLog log: String) -> String { beside(log: log, ".signer-mail.sendlog.jsonl") }
}
