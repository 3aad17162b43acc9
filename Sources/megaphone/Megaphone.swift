import Foundation
import MegaphoneCampaign
import MegaphoneData
import MegaphoneTemplate

/// The `megaphone` command: finds the subcommand, parses its arguments, runs it,
/// and turns errors into messages on standard error and sysexits exit codes.
@main
struct Megaphone {
    static let version = "0.1.0"

    static let commands: [any Command.Type] = [
        CheckCommand.self,
        PreviewCommand.self,
        RenderCommand.self,
        SendCommand.self,
        LogCommand.self,
        ServeCommand.self,
        SignaturesCommand.self,
        TemplateRenderCommand.self,
    ]

    static let rootSpec = CommandSpec(
        path: [],
        abstract: "Protest letters, press releases and petitions: merged, checked, and mailed safely.",
        usageOverride: "<subcommand>")

    static func main() {
        let code = run(Array(CommandLine.arguments.dropFirst()), console: Console())
        exit(code.rawValue)
    }

    static func run(_ arguments: [String], console: Console) -> ExitCode {
        do {
            return try dispatch(arguments, console: console)
        } catch let error as UsageError {
            let spec = error.command ?? rootSpec
            console.err("Error: \(error.message)\nUsage: \(spec.usage)\n  See '\(spec.commandName) --help' for more information.\n")
            return .usage
        } catch let error as TemplateError {
            console.err("\(error)\n")
            return .dataError
        } catch let error as TemplateFileError {
            console.err("megaphone: \(error)\n")
            return error.reason == .notUTF8 ? .dataError : .noInput
        } catch let error as DataError {
            console.err("\(error)\n")
            return error.kind == .missingFile ? .noInput : .dataError
        } catch let error as CampaignFailure {
            var seen: Set<CampaignDiagnostic> = []
            for diagnostic in error.diagnostics where seen.insert(diagnostic).inserted { console.err("\(diagnostic)\n") }
            let errors = error.diagnostics.filter { $0.severity == .error }
            return errors.contains(where: \.isMissingFile) ? .noInput : .dataError
        } catch let error as CommandFailure {
            console.err("megaphone: \(error.message)\n")
            return error.code
        } catch {
            console.err("megaphone: \(error)\n")
            return .software
        }
    }

    static func rootHelp() -> String {
        var lines = [
            "OVERVIEW: \(rootSpec.abstract)", "",
            "USAGE: megaphone <subcommand>", "",
            "OPTIONS:",
            CommandSpec.row("--version", "Show the version."),
            CommandSpec.row("-h, --help", "Show help information."), "",
            "SUBCOMMANDS:",
        ]
        for command in commands {
            lines.append(CommandSpec.row(command.spec.path.joined(separator: " "), command.spec.abstract))
        }
        lines += ["", "  See 'megaphone help <subcommand>' for detailed help."]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The command named by the first words of `arguments`, and the words left over.
    static func find(_ arguments: [String]) -> (any Command.Type, [String])? {
        let matches = commands.filter { Array(arguments.prefix($0.spec.path.count)) == $0.spec.path }
        guard let best = matches.max(by: { $0.spec.path.count < $1.spec.path.count }) else { return nil }
        return (best, Array(arguments.dropFirst(best.spec.path.count)))
    }

    /// Commands whose path starts with `words` (for `megaphone template`).
    static func group(_ words: [String]) -> [any Command.Type] {
        commands.filter { $0.spec.path.count > words.count && Array($0.spec.path.prefix(words.count)) == words }
    }

    static func groupHelp(_ words: [String]) -> String {
        let name = (["megaphone"] + words).joined(separator: " ")
        var lines = ["USAGE: \(name) <subcommand>", "", "SUBCOMMANDS:"]
        for command in group(words) {
            lines.append(CommandSpec.row(command.spec.path.dropFirst(words.count).joined(separator: " "), command.spec.abstract))
        }
        lines += ["", "  See 'megaphone help \(words.joined(separator: " ")) <subcommand>' for detailed help."]
        return lines.joined(separator: "\n") + "\n"
    }

    static func dispatch(_ arguments: [String], console: Console) throws -> ExitCode {
        guard let first = arguments.first else {
            console.out(rootHelp())
            return .success
        }
        switch first {
        case "--version":
            console.out("megaphone \(version)\n")
            return .success
        case "-h", "--help":
            console.out(rootHelp())
            return .success
        case "help":
            let words = Array(arguments.dropFirst())
            if words.isEmpty {
                console.out(rootHelp())
            } else if let (command, rest) = find(words), rest.isEmpty {
                console.out(command.spec.helpText)
            } else if !group(words).isEmpty {
                console.out(groupHelp(words))
            } else {
                throw UsageError(message: "Unknown subcommand '\(words.joined(separator: " "))'", command: nil)
            }
            return .success
        default:
            break
        }
        guard let (command, rest) = find(arguments) else {
            // A group name alone (`megaphone template`) or with --help shows the group's commands.
            for length in stride(from: arguments.count, through: 1, by: -1) {
                let words = Array(arguments.prefix(length))
                if !group(words).isEmpty {
                    let rest = arguments.dropFirst(length)
                    if rest.isEmpty || rest.first == "--help" || rest.first == "-h" {
                        console.out(groupHelp(words))
                        return .success
                    }
                    throw UsageError(message: "Unknown subcommand '\(arguments.prefix(length + 1).joined(separator: " "))'", command: nil)
                }
            }
            let unknown = first.hasPrefix("-") ? "Unknown option '\(first)'" : "Unknown subcommand '\(first)'"
            throw UsageError(message: unknown, command: nil)
        }
        let parsed = try ArgumentParser(spec: command.spec).parse(rest)
        if parsed.wantsHelp {
            console.out(command.spec.helpText)
            return .success
        }
        return try command.run(parsed, console: console)
    }
}
