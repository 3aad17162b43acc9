public import Foundation

/// The campaign file's `page`: what `megaphone serve` shows supporters — a petition
/// page (joint mode) or a letter page (each-signer mode).
public struct PageSettings: Sendable {
    /// The page's title (and the browser tab's).
    public let title: String
    /// An HTML template fragment with the appeal, rendered with the campaign's data.
    public let appeal: String?
    /// The form's fields, in order; `name` and `email` are always among them.
    public let fields: [String]
    /// The number of signatures the campaign aims for.
    public let goal: Int?
    /// After this moment signing and confirming are refused.
    public let closes: Date?
    /// A letter template overriding the built-in confirmation email.
    public let confirmation: String?
    /// A recipients column to group a letter page's targets by (`country`, `city`).
    public let groupBy: String?
    /// Origins allowed to show the page in a frame (none by default).
    public let embedFrom: [String]
    /// A folder whose page templates (`campaign.html`, `layout.html`…, `strings.LANG.json`)
    /// replace the built-in ones of the same name.
    public let templates: String?
    /// Days a confirmation link works.
    public let confirmDays: Int
    /// The fields a supporter must fill in (on the form and on the server): `name`,
    /// `email`, and whichever others the campaign lists in `required`.
    public let required: [String]
    /// Whether a letter's recipients may reply to the supporter directly (their
    /// address as Reply-To): the supporter's choice on the page by default.
    public let replyToSigner: ReplyToSigner

    /// `page.reply_to_signer`.
    public enum ReplyToSigner: String, Sendable {
        /// A checkbox, unticked by default: the supporter's address is Reply-To only when ticked.
        case ask
        /// Every letter's Reply-To is the supporter (the page says so).
        case always
        /// No letter carries the supporter's address; replies go to the campaign.
        case never
    }

    /// The form field a letter page's reply choice is kept in, with the signature.
    public static let replyChoiceField = "reply_to"

    /// The fields a form may ask for, and the ones always asked.
    public static let knownFields = ["name", "email", "organisation", "city", "country", "postcode", "phone"]
    static let knownKeys: Set<String> = ["title", "appeal", "fields", "goal", "closes", "confirmation", "group_by", "embed_from", "confirm_days", "templates",
                                              "required", "reply_to_signer"]
}
