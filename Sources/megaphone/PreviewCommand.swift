import ArgumentParser
import MegaphoneCampaign
import MegaphoneMail

/// `megaphone preview`: prints one message exactly as it would be sent.
struct PreviewCommand: MegaphoneCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Print one message of a campaign as it would be sent.",
        discussion: "The envelope (MAIL FROM and RCPT TO, which include Bcc) goes to standard error.")

    @Argument(help: "The campaign file (JSON).")
    var campaign: String

    @Option(name: .customLong("number"), help: ArgumentHelp("The message's number (default: 1).", valueName: "n"))
    var number: String?

    @Option(name: .customLong("to"), help: ArgumentHelp("The first message to this recipient instead.", valueName: "address"))
    var to: String?

    @Flag(name: .customLong("allow-empty"), help: "Go on when nobody has signed (a joint letter signed by nobody).")
    var allowEmpty = false

    func execute(console: Console) throws -> Status {
        let path = campaign
        if number != nil, to != nil {
            throw UsageError(message: "Give either --number or --to, not both")
        }
        var wanted = 1
        if let text = number {
            guard let number = Int(text), number >= 1 else {
                throw UsageError(message: "--number takes a whole number from 1, not '\(text)'")
            }
            wanted = number
        }
        var address: String? = nil
        if let text = to {
            do { address = try EmailAddress(text).key } catch {
                throw UsageError(message: "--to: \(error)")
            }
        }
        let campaign = try CampaignCommands.open(path, console: console, requireSigners: !allowEmpty)
        let stream = try campaign.messages()
        while let outcome = stream.next() {
            switch outcome {
            case .composed(let composed):
                let matches = address.map { wantedAddress in composed.message.envelopeRecipients.contains { $0.key == wantedAddress } }
                    ?? (composed.number == wanted)
                guard matches else { continue }
                for warning in composed.warnings { console.err("\(warning)\n") }
                console.err("Message \(composed.number) · MAIL FROM:<\(composed.message.envelopeFrom)> · RCPT TO:"
                            + composed.message.envelopeRecipients.map { "<\($0)>" }.joined(separator: ", ") + "\n")
                console.out(bytes: composed.bytes)
                return .success
            case .problems(let problems):
                let errors = problems.filter { $0.severity == .error }
                if !errors.isEmpty, address == nil, stream.lastNumber == wanted {
                    throw CampaignFailure(diagnostics: errors)
                }
            }
        }
        let what = address.map { "no message goes to \($0)" } ?? "the campaign has no message \(wanted)"
        throw CommandFailure(message: "\(what); run 'megaphone check \(path)' to see every message", code: .dataError)
    }
}
