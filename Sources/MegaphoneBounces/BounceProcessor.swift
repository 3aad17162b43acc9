import Foundation
public import MegaphoneCampaign
public import MegaphoneLog
import MegaphoneMail
import MegaphoneValue
import MegaphoneFiles
import MegaphoneTokens
import MegaphoneSuppression

/// Reads a campaign's returned mail and records what it says: each delivery report
/// or bounce is matched to the letter it returns (by VERP token, else by the
/// original's Message-ID, else by its X-Campaign header and recipient), written to the
/// send log as `bounced`, and a hard bounce's address goes on the suppression list.
/// Auto-replies and people's replies are listed, never taken for bounces. What was
/// read is remembered by Message-ID (`NAME.bounces.jsonl` beside the send log), so
/// reading the same mailbox again adds nothing.
public final class BounceProcessor {
    let campaign: Campaign
    let logPath: String

    /// What one reading found.
    public struct Report: Sendable {
        public struct Bounced: Sendable {
            public let key: String
            public let number: Int?
            public let bounce: SendRecord.Bounce
        }

        public struct Other: Sendable {
            public let from: String
            public let subject: String
            /// For a reply: whether it was automatic; for an unmatched bounce: why.
            public let note: String
        }

        public var read = 0
        public var alreadyRead = 0
        public var bounced: [Bounced] = []
        public var replies: [Other] = []
        public var unmatched: [Other] = []
        /// Addresses newly put on the suppression list.
        public var suppressed: [String] = []
    }

    public init(campaign: Campaign, logPath: String) {
        self.campaign = campaign
        self.logPath = logPath
    }

    /// The record of mail already read: `NAME.sendlog.jsonl` → `NAME.bounces.jsonl`.
    public static func readRecordPath(forLog log: String) -> String {
        CampaignFiles.bounces(forLog: log)
    }

    public func process(_ source: BounceSource) throws(BounceError) -> Report {
        guard FileManager.default.fileExists(atPath: logPath) else {
            throw BounceError(.noInput, "\(logPath): no send log yet, so no letter to match returned mail to; 'megaphone send \(campaign.manifest.path)' writes it")
        }
        let (log, history) = try openLog()
        defer { log.close() }
        let recordPath = Self.readRecordPath(forLog: logPath)
        var seen = try Self.readIDs(recordPath)
        var reading = Reading(matcher: BounceMatcher(campaign: campaign, history: history), history: history, campaign: campaign.manifest.name)
        try source.forEachMessage { bytes throws(BounceError) in
            // Mail read before is passed over on its header alone.
            guard seen.insert(ReturnedMail.id(of: bytes)).inserted else {
                reading.report.alreadyRead += 1
                return
            }
            reading.take(ReturnedMail(bytes))
        }
        return try commit(reading, to: log, recordPath: recordPath)
    }

    private func openLog() throws(BounceError) -> (SendLog, LogHistory) {
        do {
            return try SendLog.open(logPath)
        } catch {
            switch error.code {
            case .inUse: throw BounceError(.inUse, error.description)
            case .damaged: throw BounceError(.data, error.description)
            case .unwritable: throw BounceError(.cannotCreate, error.description)
            }
        }
    }

    /// The log first, then the suppression list, then what was read: a crash in
    /// between reads the mail again next time rather than losing a bounce.
    private func commit(_ reading: Reading, to log: SendLog, recordPath: String) throws(BounceError) -> Report {
        var report = reading.report
        do {
            // Written together, then one wait for the disk (group commit): not an fsync each.
            var last: SendLog.Ticket? = nil
            for record in reading.records { last = try log.submit(record) }
            if let last { try log.waitDurable(last) }
        } catch {
            throw BounceError(.cannotCreate, error.description)
        }
        if !reading.suppress.isEmpty {
            do {
                report.suppressed = try SuppressionList.add(reading.suppress, to: SuppressionList.path(forCampaign: campaign.manifest.path))
            } catch {
                throw BounceError(.cannotCreate, error.description)
            }
        }
        try Self.append(reading.lines, to: recordPath)
        return report
    }

    /// What one run made of the returned mail it read: the report, the log's new
    /// `bounced` records, the addresses to suppress, and the lines of the read record.
    struct Reading {
        let matcher: BounceMatcher
        let history: LogHistory
        let campaign: String
        let now = Date()
        var report = Report()
        var records: [SendRecord] = []
        var suppress: [(address: String, reason: String)] = []
        var lines: [[String: String]] = []

        var day: String { String(SendRecord.timeText(now).prefix(10)) }

        mutating func take(_ mail: ReturnedMail) {
            report.read += 1
            var line = ["id": mail.id, "from": mail.from, "subject": mail.subject, "time": SendRecord.timeText(now)]
            switch mail.kind {
            case .autoReply, .reply:
                let automatic = mail.kind == .autoReply
                report.replies.append(.init(from: mail.from, subject: mail.subject, note: automatic ? "automatic reply" : "reply"))
                line["kind"] = automatic ? "auto-reply" : "reply"
                if let key = matcher.key(for: mail) { line["key"] = key }
            case .report, .plainBounce:
                line["kind"] = bounce(mail, line: &line)
            }
            lines.append(line)
        }

        /// A delivery report or a bounce: matched to its letter, each failed recipient
        /// recorded, and a hard bounce's address suppressed. Returns the line's kind.
        private mutating func bounce(_ mail: ReturnedMail, line: inout [String: String]) -> String {
            let failures = mail.recipients.filter(\.isFailure)
            guard let key = matcher.key(for: mail), let entry = history[key] else {
                let why = "no Megaphone letter of this campaign found in it (no bounce token, Message-ID or X-Campaign header of ours)"
                report.unmatched.append(.init(from: mail.from, subject: mail.subject, note: why))
                return "unmatched"
            }
            line["key"] = key
            // A report of success (delivered, relayed): nothing to record.
            if mail.kind == .report, failures.isEmpty { return "report" }
            let recipients = failures.isEmpty ? [ReturnedMail.Recipient(finalRecipient: entry.recipients.first, action: "failed",
                                                                         status: ReturnedMail.statusCode(in: mail.searchText))] : failures
            for recipient in recipients {
                let bounce = SendRecord.Bounce(kind: recipient.bounceKind, action: recipient.action, status: recipient.status,
                                               diagnostic: recipient.diagnostic, remoteMTA: recipient.remoteMTA,
                                               finalRecipient: recipient.finalRecipient ?? entry.recipients.first, source: mail.id)
                var record = SendRecord(time: now, campaign: campaign, state: .bounced, key: key, number: entry.number,
                                        messageID: entry.messageID, recipients: entry.recipients)
                record.bounce = bounce
                record.verp = entry.verp
                records.append(record)
                report.bounced.append(.init(key: key, number: entry.number, bounce: bounce))
                if bounce.kind == .hard, let address = bounce.finalRecipient {
                    suppress.append((address, "bounced \(bounce.status ?? "") \(day): \(bounce.diagnostic ?? bounce.action ?? "failed")"))
                }
            }
            return "bounce"
        }
    }

    static func readIDs(_ path: String) throws(BounceError) -> Set<String> {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BounceError(.noInput, "\(path): cannot be read; check its permissions")
        }
        var ids: Set<String> = []
        for (index, line) in data.split(separator: 10).enumerated() where !line.isEmpty {
            guard let value = try? JSONParser.parse(Array(line)), case .string(let id)? = value["id"] else {
                throw BounceError(.data, "\(path):\(index + 1): error: this line is not a record of returned mail read; restore the file, or delete the line (that mail is then read again)")
            }
            ids.insert(id)
        }
        return ids
    }

    static func append(_ lines: [[String: String]], to path: String) throws(BounceError) {
        guard !lines.isEmpty else { return }
        var bytes: [UInt8] = []
        for line in lines {
            bytes.append(UInt8(ascii: "{"))
            for (index, (name, value)) in line.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONWriter.quote(name, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                JSONWriter.quote(value, into: &bytes)
            }
            bytes += [UInt8(ascii: "}"), 10]
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw BounceError(.cannotCreate, "\(path): cannot be written (\(String(cString: strerror(errno))))") }
        defer { close(descriptor) }
        do { try DurableWrite.append(bytes, to: descriptor) } catch {
            throw BounceError(.cannotCreate, "\(path): cannot be \(error.step == .sync ? "synced to disk" : "written") (\(error.reason))")
        }
    }
}

/// Finds the letter a returned mail is about.
struct BounceMatcher {
    let campaign: Campaign
    let history: LogHistory
    /// VERP token → message key.
    private let byToken: [String: String]
    /// Message-ID → message key.
    private let byMessageID: [String: String]
    /// Recipient address (lower-cased) → message keys.
    private let byRecipient: [String: [String]]
    private let bounceLocal: String

    init(campaign: Campaign, history: LogHistory) {
        self.campaign = campaign
        self.history = history
        var byToken: [String: String] = [:]
        var byMessageID: [String: String] = [:]
        var byRecipient: [String: [String]] = [:]
        for key in history.order {
            guard let entry = history[key] else { continue }
            if let token = entry.verp ?? (campaign.manifest.verp ? campaign.tokens?.verpToken(forKey: key) : nil) { byToken[token] = key }
            if let id = entry.messageID { byMessageID[id.lowercased()] = key }
            for recipient in entry.recipients { byRecipient[recipient.lowercased(), default: []].append(key) }
        }
        self.byToken = byToken
        self.byMessageID = byMessageID
        self.byRecipient = byRecipient
        bounceLocal = campaign.manifest.bounce.localPart.lowercased()
    }

    func key(for mail: ReturnedMail) -> String? {
        let text = mail.searchText.lowercased()
        // 1. The VERP token: `bounces+TOKEN@` wherever it stands (To, the quoted Return-Path…).
        let marker = bounceLocal + "+"
        var search = text[...]
        while let range = search.range(of: marker) {
            let token = String(search[range.upperBound...].prefix(16))
            if token.count == 16, let key = byToken[token] { return key }
            search = search[range.upperBound...]
        }
        // 2. The original's Message-ID.
        if let id = mail.original?.header("message-id")?.trimmingCharacters(in: CharacterSet(charactersIn: "<> ")).lowercased(),
           let key = byMessageID[id] { return key }
        search = text[...]
        while let range = search.range(of: "megaphone.") {
            let rest = search[range.lowerBound...]
            let id = rest.prefix { !"<> \t\r\n\"';,".contains($0) }
            if let key = byMessageID[String(id)] { return key }
            search = search[range.upperBound...]
        }
        // 3. X-Campaign naming this campaign, and a recipient we wrote to.
        let campaignHeader = mail.original?.header("x-campaign")
        if campaignHeader == campaign.manifest.name || text.contains("x-campaign: \(campaign.manifest.name.lowercased())") {
            let candidates = mail.recipients.compactMap(\.finalRecipient) + (mail.original?.header("to").flatMap(ReturnedMail.firstAddress).map { [$0] } ?? [])
            for address in candidates {
                if let keys = byRecipient[address.lowercased()], keys.count == 1 { return keys[0] }
            }
        }
        return nil
    }
}
