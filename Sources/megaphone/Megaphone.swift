import ArgumentParser
import Foundation
import MegaphoneCampaign
import MegaphoneData
import MegaphoneTemplate

/// The `megaphone` command: swift-argument-parser finds the subcommand and parses
/// its arguments (help, usage errors with exit 64, `--version`, completion
/// scripts); this runs it and turns errors into messages on standard error and
/// sysexits exit statuses.
@main
struct Megaphone: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "megaphone",
        abstract: "Protest letters, press releases and petitions: merged, checked, and mailed safely.",
        version: "megaphone \(version)",
        subcommands: [
            CheckCommand.self, PreviewCommand.self, RenderCommand.self, SendCommand.self, LogCommand.self,
            ServeCommand.self, SignaturesCommand.self, TemplateCommand.self,
        ])

    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        let status = await execute(command, console: Console())
        Foundation.exit(status.rawValue)
    }

    static func execute(_ command: any ParsableCommand, console: Console) async -> Status {
        do {
            if let command = command as? any MegaphoneCommand {
                return try command.execute(console: console)
            }
            if let command = command as? any AsyncMegaphoneCommand {
                return try await command.execute(console: console)
            }
            // A group (`megaphone template`) shows its help.
            var group = command
            try group.run()
            return .success
        } catch let error as UsageError {
            let type = Swift.type(of: command)
            let name = (["megaphone"] + path(to: type)).joined(separator: " ")
            console.err("Error: \(error.message)\nUsage: \(usageString(for: type))\n  See '\(name) --help' for more information.\n")
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
            // The parser's own ends (help for a group) print and exit as it chooses.
            exit(withError: error)
        }
    }

    /// The words naming a subcommand after `megaphone`: `["template", "render"]`.
    static func path(to type: any ParsableCommand.Type) -> [String] {
        func search(_ parent: any ParsableCommand.Type, _ words: [String]) -> [String]? {
            for child in parent.configuration.subcommands {
                let name = child.configuration.commandName ?? String(describing: child).lowercased()
                if child == type { return words + [name] }
                if let found = search(child, words + [name]) { return found }
            }
            return nil
        }
        return search(Megaphone.self, []) ?? []
    }
}

/// `megaphone template`: the commands that work on one template.
struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Work with one template file.",
        subcommands: [TemplateRenderCommand.self])
}
