import ArgumentParser
import Foundation
import MegaphoneCampaign
import MegaphoneData
import MegaphoneLog
import MegaphoneMail

/// `megaphone log`: what the send log says, as a summary, JSON or a spreadsheet.
struct LogCommand: MegaphoneCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Summarise a campaign's send log; list messages by state.",
        discussion: """
        --csv mirrors the recipients file, one row each, with the outcome in extra
        columns, ready for a spreadsheet (cells starting with = + - @ are neutralised).
        """)

    @Argument(help: "The campaign file (JSON).")
    var campaign: String

    @Option(name: .customLong("log"), help: ArgumentHelp("The send log (default: NAME.sendlog.jsonl beside the campaign).", valueName: "file"))
    var log: String?

    @Option(name: .customLong("state"), help: ArgumentHelp("Only messages in this state: sent, bounced, deferred, failed, uncertain, attempt, suppressed.", valueName: "state"))
    var state: String?

    @Flag(name: .customLong("json"), help: "One JSON object per message.")
    var json = false

    @Flag(name: .customLong("csv"), help: "The recipients file with each row's outcome.")
    var csv = false

    func execute(console: Console) throws -> Status {
        let path = campaign
        if json, csv { throw UsageError(message: "Give --json or --csv, not both") }
        var wanted: SendRecord.State? = nil
        if let text = state {
            guard let state = SendRecord.State(rawValue: text), state != .run else {
                throw UsageError(message: "--state takes sent, bounced, deferred, failed, uncertain, attempt, skipped or suppressed, not '\(text)'")
            }
            wanted = state
        }
        let logPath = log ?? SendCommand.defaultLog(for: path, redirect: false)
        guard FileManager.default.fileExists(atPath: logPath) else {
            throw CommandFailure(message: "\(logPath): no send log yet; 'megaphone send \(path)' writes it", code: .noInput)
        }
        let history: LogHistory
        do {
            (_, history) = try SendLog.open(logPath, lock: false)
        } catch {
            throw CommandFailure(message: error.description, code: .dataError)
        }
        for warning in history.warnings { console.err(warning + "\n") }
        let entries = history.order.compactMap { history[$0] }.filter { entry in
            guard let wanted else { return true }
            return entry.state == wanted || (wanted == .attempt && entry.state == .uncertain) || (wanted == .uncertain && entry.state == .attempt)
        }
        if json {
            console.out(entries.map { entry in
                var record = entry.last
                record.state = entry.state
                record.attempt = entry.attempts
                record.recipients = entry.recipients
                record.number = entry.number
                record.messageID = entry.messageID
                record.hash = entry.hash
                record.bounce = entry.bounce
                record.verp = entry.verp
                return String(decoding: record.jsonLine(), as: UTF8.self)
            }.joined())
            return .success
        }
        if csv {
            let campaign = try CampaignCommands.open(path, console: console)
            console.out(try Self.csv(campaign: campaign, history: history, wanted: wanted))
            return .success
        }
        var text = "Send log \(logPath): \(history.entries.count) message\(history.entries.count == 1 ? "" : "s"), \(history.runs.count) run\(history.runs.count == 1 ? "" : "s")\n"
        let counts = history.counts
        for state in [SendRecord.State.sent, .bounced, .deferred, .failed, .attempt, .skipped, .suppressed] {
            let name = state == .attempt ? "uncertain" : state.rawValue
            text += "  \(name.padding(toLength: 12, withPad: " ", startingAt: 0))\(counts[state] ?? 0)\n"
        }
        for state in [SendRecord.State.bounced, .failed, .deferred, .attempt, .uncertain, .skipped, .suppressed, .sent] {
            let group = entries.filter { $0.state == state }
            guard !group.isEmpty, wanted != nil || state != .sent else { continue }
            text += "\n\(state == .attempt ? "uncertain (attempted, no outcome)" : state.rawValue):\n"
            for entry in group {
                let reply = [entry.last.replyCode.map(String.init), entry.last.enhancedCode, entry.last.replyText].compactMap { $0 }.joined(separator: " ")
                var detail = [reply.isEmpty ? nil : reply, entry.last.note].compactMap { $0 }.joined(separator: "; ")
                if state == .bounced, let bounce = entry.bounce {
                    detail = bounce.summary + (bounce.finalRecipient.map { " (\($0))" } ?? "")
                }
                text += "  #\(entry.number.map(String.init) ?? "?") \(entry.key)\(detail.isEmpty ? "" : " — \(detail)")\n"
            }
        }
        console.out(text)
        return .success
    }

    private static func csv(campaign: Campaign, history: LogHistory, wanted: SendRecord.State?) throws -> String {
        let reader: CSVReader
        do { reader = try CSVReader(path: campaign.manifest.recipients) } catch {
            throw CampaignFailure(diagnostics: [CampaignDiagnostic(error)])
        }
        // Messages by recipient: in each-signer mode a row has one message per signer.
        var byRecipient: [String: [LogHistory.Entry]] = [:]
        for key in history.order {
            guard let entry = history[key] else { continue }
            let recipient = String(key.split(separator: " ").first ?? "")
            byRecipient[recipient, default: []].append(entry)
        }
        var lines = [(reader.header + ["megaphone_state", "megaphone_messages", "megaphone_reply", "megaphone_time", "megaphone_bounce"]).map(CSVField.spreadsheetSafe).joined(separator: ",")]
        while true {
            let record: CSVRecord
            do {
                guard let next = try reader.next() else { break }
                record = next
            } catch { continue }
            let fields = reader.object(record)
            let key = (try? EmailAddress((fields["email"] ?? "").trimmingCharacters(in: .whitespaces)))?.comparisonKey ?? ""
            let entries = byRecipient[key] ?? []
            var states: [String: Int] = [:]
            for entry in entries { states[entry.state == .attempt ? "uncertain" : entry.state.rawValue, default: 0] += 1 }
            let state: String
            if entries.isEmpty {
                state = "not sent"
            } else if states.count == 1, let only = states.keys.first {
                state = only
            } else {
                state = states.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            }
            if let wanted, !entries.contains(where: { $0.state == wanted }) { continue }
            let last = entries.max { $0.last.time < $1.last.time }?.last
            let reply = last.map { [$0.replyCode.map(String.init), $0.enhancedCode, $0.replyText].compactMap { $0 }.joined(separator: " ") } ?? ""
            let time = last.map { ISO8601DateFormatter().string(from: $0.time) } ?? ""
            let bounce = entries.compactMap { $0.bounce?.summary }.joined(separator: "; ")
            lines.append((record.fields + [state, String(entries.count), reply, time, bounce]).map(CSVField.spreadsheetSafe).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
