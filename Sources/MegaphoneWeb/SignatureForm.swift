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

    static let maxLength = ["name": 100, "email": 254, "organisation": 150, "city": 100, "country": 100, "postcode": 16, "phone": 32]
    static let maxMessage = 2000

    /// Reads and checks the form. `required` are the fields that must be filled in;
    /// `recipients` are the addresses a letter page offers (lower-cased), nil on a
    /// petition page; `asksReply`: the page asks whether the recipients may reply.
    init(_ form: FormData, fieldNames: [String], required: [String] = ["name", "email"], recipients: Set<String>?,
         asksReply: Bool = false, smtputf8: Bool, strings: PageRenderer) {
        for name in fieldNames {
            let raw = form[name] ?? ""
            let value = raw.trimmingCharacters(in: .whitespaces)
            let hasControl = value.unicodeScalars.contains(where: Self.isControl)
            fields[name] = hasControl ? String(value.unicodeScalars.filter { !Self.isControl($0) }) : value
            let limit = Self.maxLength[name] ?? 100
            if hasControl {
                errors[name] = strings.text("err_control")
            } else if value.isEmpty, required.contains(name) {
                errors[name] = strings.text("err_required")
            } else if value.count > limit {
                errors[name] = strings.text("err_too_long", String(limit))
            } else if name == "name", !Self.isName(value) {
                errors[name] = strings.text("err_name_letters")
            } else if name == "email" {
                do { _ = try EmailAddress(value, allowUTF8: smtputf8) } catch {
                    // In the page's language: never the library's English sentence.
                    let key = "err_email_\(error.kind.rawValue)"
                    let text = strings.text(key)
                    errors[name] = text == key ? strings.text("err_email") : text
                }
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
            if message.unicodeScalars.contains(where: { $0 != "\n" && $0 != "\t" && Self.isControl($0) }) {
                errors["message"] = strings.text("err_message_control")
                message = String(message.unicodeScalars.filter { $0 == "\n" || !Self.isControl($0) })
            } else if message.count > Self.maxMessage {
                errors["message"] = strings.text("err_too_long", "2000")
            }
        }
    }

    var isValid: Bool { errors.isEmpty }

    /// C0 controls (tab and line breaks included: a field is one line), DEL, C1
    /// controls, and the invisible format characters that reorder or hide text.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF, 0xFFF9...0xFFFB: true
        default: false
        }
    }

    /// Letters (any script) with spaces, hyphens, apostrophes and full stops between.
    static func isName(_ text: String) -> Bool {
        var letters = 0
        for character in text {
            if character.isLetter { letters += 1; continue }
            if character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .nonspacingMark || $0.properties.generalCategory == .spacingMark }) { continue }
            if " -'’.‐".contains(character) { continue }
            return false
        }
        return letters > 0
    }
}
