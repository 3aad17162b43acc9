import Foundation
import MegaphoneMail

/// What a composed message would trip in common spam filters, said as warnings
/// with the reason and what it costs (SpamAssassin's rule names, since that is
/// what receiving servers and the test suite's gate run).
enum Deliverability {
    /// Free-mail providers: a Reply-To there with a From in the campaign's own domain
    /// is SpamAssassin's FREEMAIL_FORGED_REPLYTO.
    static let freeMailDomains: Set<String> = [
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "hotmail.com",
        "hotmail.co.uk", "hotmail.fr", "outlook.com", "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mail.com",
        "gmx.de", "gmx.net", "gmx.com", "web.de", "mail.ru", "yandex.ru", "yandex.com", "proton.me", "protonmail.com", "zoho.com",
    ]

    static func warnings(for message: Message, letterPath: String, htmlPath: String?, senderDomain: String) -> [CampaignDiagnostic] {
        var warnings: [CampaignDiagnostic] = []
        if message.from.address.domain.lowercased() == senderDomain.lowercased(),
           message.replyTo.contains(where: { freeMailDomains.contains($0.address.domain.lowercased()) }) {
            warnings.append(CampaignDiagnostic(.warning, path: letterPath, message: "the Reply-To is a free-mail address while From is the campaign's own: SpamAssassin's FREEMAIL_FORGED_REPLYTO adds about 2 points. That is the normal price of DMARC-safe letters sent on a supporter's behalf (From the campaign, replies to the supporter); keep the rest of the letter clean so the total stays low"))
        }
        if isAllCapitals(message.subject) {
            warnings.append(CampaignDiagnostic(.warning, path: letterPath, message: "the Subject is all capitals (\"\(message.subject)\"): SpamAssassin's SUBJ_ALL_CAPS scores it as spam; write it in sentence case"))
        }
        if let html = message.html {
            let similarity = wordSimilarity(plainText(fromHTML: html), message.text)
            if similarity < 0.7 {
                warnings.append(CampaignDiagnostic(.warning, path: htmlPath ?? letterPath, message: "the HTML letter's text differs from the plain-text letter (\(Int(similarity * 100))% of words shared): SpamAssassin's MPART_ALT_DIFF scores that as spam, and readers of the plain part miss what the HTML says; keep the two saying the same"))
            }
        }
        return warnings
    }

    /// Five or more letters that have a case, and none of them lower-case (one pass,
    /// no copies: it runs for every message).
    static func isAllCapitals(_ text: String) -> Bool {
        var cased = 0
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                // ASCII letters without a Unicode property look-up (most subjects are ASCII).
                switch scalar.value {
                case 0x61...0x7A: return false
                case 0x41...0x5A: cased += 1
                default: break
                }
            } else if scalar.properties.isCased {
                if scalar.properties.isLowercase { return false }
                cased += 1
            }
        }
        return cased >= 5
    }

    /// The text a reader sees in HTML: tags, comments and the head dropped, entities read.
    static func plainText(fromHTML html: String) -> String {
        var text = ""
        var inTag = false
        var skipping = false
        var tag = ""
        for character in html {
            if inTag {
                if character == ">" {
                    inTag = false
                    let name = tag.lowercased().split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).first.map(String.init) ?? ""
                    let hidden: Set<String> = ["style", "script", "head", "title"]
                    if hidden.contains(name) { skipping = true }
                    if name.hasPrefix("/"), hidden.contains(String(name.dropFirst())) { skipping = false }
                    text += " "
                } else {
                    tag.append(character)
                }
            } else if character == "<" {
                inTag = true
                tag = ""
            } else if !skipping {
                text.append(character)
            }
        }
        return text.replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&amp;", with: "&")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
    }

    /// The text's words, lower-cased: runs of letters and digits (also the similarity check's).
    static func words(_ text: String) -> [Substring] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
    }

    /// Shared words over all words (sets): 1 for the same words, 0 for none shared.
    static func wordSimilarity(_ a: String, _ b: String) -> Double {
        let first = Set(words(a)), second = Set(words(b))
        let union = first.union(second).count
        return union == 0 ? 1 : Double(first.intersection(second).count) / Double(union)
    }
}
