public import MegaphoneMail

/// The one rule for a signer's field, wherever a signature comes from: the page's form
/// (`serve`) and a file of signatures collected elsewhere (`signatures --import`). No
/// control characters or line breaks, bounded lengths, a name written with letters,
/// an address that `check` would accept.
public enum SignerFieldRule {
    /// The longest value each field may hold (others: 100 characters).
    public static let maxLength = ["name": 100, "email": 254, "organisation": 150, "city": 100, "country": 100, "postcode": 16, "phone": 32]

    /// What is wrong with a field's value.
    public enum Problem: Sendable, Equatable {
        case control
        case required
        case tooLong(Int)
        case nameLetters
        /// The address's kind of mistake, and the sentence saying it (`has no '@'; …`).
        case email(AddressError.Kind, reason: String)

        /// In English, for a command's error that names the row and column.
        public var sentence: String {
            switch self {
            case .control: "holds a line break or an invisible control character; write it on one line without them"
            case .required: "is empty; it must be filled in"
            case .tooLong(let limit): "is too long: at most \(limit) characters"
            case .nameLetters: "is not a name written with letters (spaces, hyphens, apostrophes and full stops are fine)"
            case .email(_, let reason): reason
            }
        }
    }

    /// The value as kept (trimmed of spaces, control characters removed) and its problem, if any.
    public static func check(_ name: String, _ raw: String, required: Bool, smtputf8: Bool) -> (value: String, problem: Problem?) {
        let value = raw.trimmingSpaces
        let hasControl = value.unicodeScalars.contains(where: isControl)
        let kept = hasControl ? String(value.unicodeScalars.filter { !isControl($0) }) : value
        let limit = maxLength[name] ?? 100
        if hasControl { return (kept, .control) }
        if value.isEmpty { return (kept, required ? .required : nil) }
        if value.count > limit { return (kept, .tooLong(limit)) }
        if name == "name", !isName(value) { return (kept, .nameLetters) }
        if name == "email" {
            do { _ = try EmailAddress(value, allowUTF8: smtputf8) } catch { return (kept, .email(error.kind, reason: error.reason)) }
        }
        return (kept, nil)
    }

    /// C0 controls (tab and line breaks included: a field is one line), DEL, C1
    /// controls, and the invisible format characters that reorder or hide text.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF, 0xFFF9...0xFFFB: true
        default: false
        }
    }

    /// Letters (any script) with spaces, hyphens, apostrophes and full stops between.
    public static func isName(_ text: String) -> Bool {
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
