import Foundation
import MegaphoneCampaign
import MegaphoneMail

/// A supporter's form, checked as strictly as CSV data: no control characters or
/// line breaks, bounded lengths, a name written with letters, an address that
/// `check` would accept, and (on a letter page) targets from the campaign's list.
struct SignatureForm: Sendable {
    /// The fields as typed (trimmed), for storing or for showing the form again.
    var fields: [String: String] = [:]
    var targets: [String] = []
    /// The personal paragraph (letter pages), with line breaks as LF.
    var message = ""
    /// Field name → what to fix, in the page's language.
    var errors: [String: String] = [:]
    /// The form's token, kept when the form is shown again to be fixed.
    var csrf: String?

    static var maxLength: [String: Int] { SignerFieldRule.maxLength }
    static let maxMessage = 2000

    /// Reads and checks the form. `required` are the fields that must be filled in;
    /// `recipients` are the addresses a letter page offers (lower-cased), nil on a
    /// petition page; `asksReply`: the page asks whether the recipients may reply.
    init(_ form: FormData, fieldNames: [String], required: [String] = ["name", "email"], recipients: Set<String>?,
         asksReply: Bool = false, smtputf8: Bool, strings: PageRenderer) {
        for name in fieldNames {
            let (value, problem) = SignerFieldRule.check(name, form[name] ?? "", required: required.contains(name), smtputf8: smtputf8)
            fields[name] = value
            switch problem {
            case nil: break
            case .control?: errors[name] = strings.text("err_control")
            case .required?: errors[name] = strings.text("err_required")
            case .tooLong(let limit)?: errors[name] = strings.text("err_too_long", String(limit))
            case .nameLetters?: errors[name] = strings.text("err_name_letters")
            case .email(let kind, _)?:
                // In the page's language: never the library's English sentence.
                let key = "err_email_\(kind.rawValue)"
                let text = strings.text(key)
                errors[name] = text == key ? strings.text("err_email") : text
            }
        }
        if asksReply {
            // Kept with the signature: "yes" only when the supporter ticked the box.
            fields[PageSettings.replyChoiceField] = form[PageSettings.replyChoiceField] == "yes" ? "yes" : "no"
        }
        if let recipients {
            targets = form.all("target").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
            var unique: [String] = []
            for target in targets where !unique.contains(target) { unique.append(target) }
            targets = unique
            if targets.isEmpty {
                errors["target"] = strings.text("err_targets")
            } else if !targets.allSatisfy(recipients.contains) {
                errors["target"] = strings.text("err_target_unknown")
                targets = targets.filter(recipients.contains)
            }
            let text = (form["message"] ?? "").replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            message = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if message.unicodeScalars.contains(where: { $0 != "\n" && $0 != "\t" && SignerFieldRule.isControl($0) }) {
                errors["message"] = strings.text("err_message_control")
                message = String(message.unicodeScalars.filter { $0 == "\n" || !SignerFieldRule.isControl($0) })
            } else if message.count > Self.maxMessage {
                errors["message"] = strings.text("err_too_long", "2000")
            }
        }
    }

    var isValid: Bool { errors.isEmpty }
}
