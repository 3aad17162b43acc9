import Foundation
import MegaphoneCampaign
import MegaphoneMail
import MegaphoneSignatures
import MegaphoneTemplate
import MegaphoneValue

/// The emails the server sends signers: "confirm your signature" and "you have
/// already signed", in the campaign's language, from the campaign's sender.
/// `page.confirmation` may replace the confirmation text (a letter template: a
/// `Subject:` line, a blank line, the body; compiled by the campaign).
struct SignerMail: Sendable {
    let campaign: WebCampaign
    let baseURL: String
    private let confirmSubject: Template
    private let confirmBody: Template
    private let noticeSubject: Template
    private let noticeBody: Template

    init(campaign: WebCampaign, baseURL: String) throws {
        self.campaign = campaign
        self.baseURL = baseURL
        let options = Template.Options(escaping: .none, strict: false, locale: campaign.campaign.manifest.locale)
        let pages = campaign.pages
        do {
            // The campaign's own confirmation (`page.confirmation`) was compiled, and
            // checked with line and column, when the campaign opened.
            if let own = campaign.campaign.confirmationTemplates {
                (confirmSubject, confirmBody) = own
            } else {
                // A letter page's supporter confirms a letter, not a signature.
                let confirm = campaign.isLetterPage ? "mail_confirm_letter" : "mail_confirm"
                confirmSubject = try Template(source: pages.text("\(confirm)_subject", campaign.page.title), path: "confirmation email", options: options)
                confirmBody = try Template(source: pages.text("\(confirm)_body"), path: "confirmation email", options: options)
            }
            noticeSubject = try Template(source: pages.text("mail_notice_subject", campaign.page.title), path: "notice email", options: options)
            noticeBody = try Template(source: pages.text("mail_notice_body"), path: "notice email", options: options)
        } catch {
            throw PageError(path: "strings.\(pages.language).json", message: "\(error)")
        }
    }

    /// The email for what signing did, or nil when nothing is to be sent.
    /// - Parameter kept: the fields the store holds for the address (for a second
    ///   signature, the first one's): the greeting uses that name, never what a new
    ///   form carried, so nobody can make the service greet an address with their text.
    func mail(for disposition: SignDisposition, request: SignRequest, kept: [String: String]? = nil) -> OutgoingMail? {
        let fields = kept ?? request.fields
        let manifest = campaign.campaign.manifest
        let (subject, body): (Template, Template)
        switch disposition {
        case .new, .pendingAgain: (subject, body) = (confirmSubject, confirmBody)
        case .alreadySigned: (subject, body) = (noticeSubject, noticeBody)
        case .quiet: return nil
        }
        let context: Value = .object([
            "name": .string(fields["name"] ?? ""),
            "title": .string(campaign.page.title),
            "confirm_url": .string("\(baseURL)/\(ServerPaths.confirm)/\(request.confirmToken)"),
            "withdraw_url": .string("\(baseURL)/\(ServerPaths.withdraw)/\(request.withdrawToken)"),
            "days": .int(campaign.page.confirmDays),
            "sender": .string(manifest.sender.displayName),
            "campaign": .object(["name": .string(manifest.name)]),
        ])
        guard let email = fields["email"] ?? request.fields["email"],
              let address = try? EmailAddress(email, allowUTF8: manifest.smtputf8),
              let to = try? Mailbox(displayName: fields["name"] ?? "", address: address),
              let subjectText = try? subject.render(context), let text = try? body.render(context) else { return nil }
        // The withdraw token is new for every email, so its hash names the email.
        let key = "signer-mail \(disposition == .alreadySigned ? "notice" : "confirmation") \(request.withdrawToken.hash.prefix(32))"
        var message = Message(from: manifest.sender, to: [to], subject: subjectText.trimmingCharacters(in: .whitespacesAndNewlines),
                              date: request.now, messageID: Message.messageID(campaign: manifest.name, key: key, domain: manifest.sender.address.domain),
                              text: text, envelopeFrom: manifest.bounce)
        message.extraHeaders = [Message.Header(name: "Auto-Submitted", value: "auto-generated"), Message.Header(name: "X-Campaign", value: manifest.name)]
        guard let bytes = try? MessageWriter.write(message) else { return nil }
        return OutgoingMail(kind: disposition == .alreadySigned ? "notice" : "confirmation", key: key,
                            envelopeFrom: manifest.bounce.description, recipients: [address.description], bytes: bytes)
    }
}
