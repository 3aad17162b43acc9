import Foundation
import MegaphoneCampaign
import MegaphoneDelivery
import MegaphoneMail

/// `megaphone render`: writes every message of a campaign to files.
enum RenderCommand: Command {
    static let spec = CommandSpec(
        path: ["render"],
        abstract: "Write every message of a campaign to .eml files, an mbox or a Maildir.",
        discussion: """
        Messages are read, rendered and written one at a time. Nothing is moved into
        place unless every message renders: a campaign with errors writes nothing.
        """,
        arguments: [ArgumentSpec(name: "campaign", help: "The campaign file (JSON).")],
        options: [
            OptionSpec(name: "out", valueName: "dir", help: "Write 00001-<recipient>.eml files into this folder."),
            OptionSpec(name: "mbox", valueName: "file", help: "Write one mbox file (replaced if it exists)."),
            OptionSpec(name: "maildir", valueName: "dir", help: "Deliver into this Maildir (created if needed)."),
            OptionSpec(name: "limit", valueName: "n", help: "Write only the first n messages."),
        ],
        usageOverride: "<campaign> (--out <dir> | --mbox <file> | --maildir <dir>) [--limit <n>]")

    private enum Output {
        case eml(EMLDirectoryWriter)
        case mbox(MboxWriter)
        case maildir(MaildirWriter)
    }

    static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard let path = arguments.positionals.first else { return .usage }
        let targets = ["out", "mbox", "maildir"].filter { arguments.value($0) != nil }
        guard targets.count == 1, let target = targets.first, let destination = arguments.value(target) else {
            throw UsageError(message: targets.isEmpty ? "Say where to write: --out, --mbox or --maildir" : "Give only one of --out, --mbox and --maildir", command: spec)
        }
        var limit: Int? = nil
        if let text = arguments.value("limit") {
            guard let value = Int(text), value >= 1 else { throw UsageError(message: "--limit takes a whole number from 1, not '\(text)'", command: spec) }
            limit = value
        }
        let campaign = try CampaignCommands.open(path, console: console)
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
                    try emit(composed, to: output)
                } catch {
                    abort(output)
                    throw CommandFailure(message: error.description, code: .cannotCreate)
                }
            case .problems(let problems):
                errors += problems.filter { $0.severity == .error }
                warnings += problems.filter { $0.severity == .warning }
            }
        }
        if errors.isEmpty {
            do {
                try commit(output)
            } catch {
                abort(output)
                throw CommandFailure(message: error.description, code: .cannotCreate)
            }
        }
        for warning in Set(warnings).sorted(by: { $0.description < $1.description }) { console.err("\(warning)\n") }
        guard errors.isEmpty else {
            abort(output)
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
