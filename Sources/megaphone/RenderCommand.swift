import ArgumentParser
import Foundation
import MegaphoneCampaign
import MegaphoneDelivery
import MegaphoneMail

/// `megaphone render`: writes every message of a campaign to files.
struct RenderCommand: MegaphoneCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Write every message of a campaign to .eml files, an mbox or a Maildir.",
        usage: "megaphone render <campaign> (--out <dir> | --mbox <file> | --maildir <dir>) [--limit <n>]",
        discussion: """
        Messages are read, rendered and written one at a time, each composed once and
        written straight to a temporary name beside the destination. Nothing is moved
        into place unless every message renders: a campaign with errors writes nothing.
        """)

    @Argument(help: "The campaign file (JSON).")
    var campaign: String

    @Flag(name: .customLong("allow-empty"), help: "Go on when nobody has signed: a joint letter signed by nobody, or no letter at all.")
    var allowEmpty = false

    @Option(name: .customLong("out"), help: ArgumentHelp("Write 00001-<recipient>.eml files into this folder.", valueName: "dir"))
    var out: String?

    @Option(name: .customLong("mbox"), help: ArgumentHelp("Write one mbox file (replaced if it exists).", valueName: "file"))
    var mbox: String?

    @Option(name: .customLong("maildir"), help: ArgumentHelp("Deliver into this Maildir (created if needed).", valueName: "dir"))
    var maildir: String?

    @Option(name: .customLong("limit"), help: ArgumentHelp("Write only the first n messages.", valueName: "n"))
    var limit: String?

    private enum Output {
        case eml(EMLDirectoryWriter)
        case mbox(MboxWriter)
        case maildir(MaildirWriter)
    }

    func execute(console: Console) throws -> Status {
        let path = campaign
        let targets = [("out", out), ("mbox", mbox), ("maildir", maildir)].compactMap { name, value in value.map { (name, $0) } }
        guard targets.count == 1, let (target, destination) = targets.first else {
            throw UsageError(message: targets.isEmpty ? "Say where to write: --out, --mbox or --maildir" : "Give only one of --out, --mbox and --maildir")
        }
        var limit: Int? = nil
        if let text = self.limit {
            guard let value = Int(text), value >= 1 else { throw UsageError(message: "--limit takes a whole number from 1, not '\(text)'") }
            limit = value
        }
        let campaign = try CampaignCommands.open(path, console: console, requireSigners: !allowEmpty)
        let stream = try campaign.messages(limit: limit)
        let output: Output
        do {
            switch target {
            case "out": output = .eml(try EMLDirectoryWriter(path: destination))
            case "mbox": output = .mbox(try MboxWriter(path: destination))
            default: output = .maildir(try MaildirWriter(path: destination))
            }
        } catch {
            throw CommandFailure(message: error.description, code: .cannotCreate)
        }
        var errors: [CampaignDiagnostic] = []
        var warnings: [CampaignDiagnostic] = []
        var count = 0
        while let outcome = stream.next() {
            switch outcome {
            case .composed(let composed):
                warnings += composed.warnings
                guard errors.isEmpty else { continue }
                count += 1
                do {
                    try Self.emit(composed, to: output)
                } catch {
                    Self.abort(output)
                    throw CommandFailure(message: error.description, code: .cannotCreate)
                }
            case .problems(let problems):
                errors += problems.filter { $0.severity == .error }
                warnings += problems.filter { $0.severity == .warning }
            }
        }
        if errors.isEmpty {
            do {
                try Self.commit(output)
            } catch {
                Self.abort(output)
                throw CommandFailure(message: error.description, code: .cannotCreate)
            }
        }
        for warning in Set(warnings).sorted(by: { $0.description < $1.description }) { console.err("\(warning)\n") }
        guard errors.isEmpty else {
            Self.abort(output)
            var seen: Set<CampaignDiagnostic> = []
            for error in errors where seen.insert(error).inserted { console.err("\(error)\n") }
            console.err("megaphone: nothing was written: \(seen.count) error\(seen.count == 1 ? "" : "s"); fix them and run again ('megaphone check \(path)' lists them all)\n")
            return errors.contains(where: \.isMissingFile) ? .noInput : .dataError
        }
        console.err("Rendered \(count) message\(count == 1 ? "" : "s") to \(destination)\n")
        return .success
    }

    private static func emit(_ composed: ComposedMessage, to output: Output) throws(OutputError) {
        switch output {
        case .eml(let writer): try writer.write(composed.bytes, number: composed.number, slug: composed.slug)
        case .mbox(let writer): try writer.append(composed.bytes, envelopeFrom: composed.message.envelopeFrom.description, date: composed.message.date)
        case .maildir(let writer): try writer.stage(composed.bytes, number: composed.number)
        }
    }

    private static func commit(_ output: Output) throws(OutputError) {
        switch output {
        case .eml(let writer): try writer.commit()
        case .mbox(let writer): try writer.commit()
        case .maildir(let writer): try writer.commit()
        }
    }

    private static func abort(_ output: Output) {
        switch output {
        case .eml(let writer): writer.abort()
        case .mbox(let writer): writer.abort()
        case .maildir(let writer): writer.abort()
        }
    }
}
