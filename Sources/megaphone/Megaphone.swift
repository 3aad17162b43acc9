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
struct Megaphone: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "megaphone",
        abstract: "Protest letters, press releases and petitions: merged, checked, and mailed safely.",
        version: "megaphone \(version)",
        subcommands: [
            CheckCommand.self, PreviewCommand.self, RenderCommand.self, SendCommand.self, LogCommand.self,
            ServeCommand.self, SignaturesCommand.self, BouncesCommand.self, TemplateCommand.self,
        ])

    /// Synchronous, so that the commands that block (check, render, send) run on the
    /// process's main thread and leave Dispatch's threads (two here) to composing; the
    /// one async command (serve) runs as a task while the main thread waits.
    static func main() {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        let console = Console()
        let status: Status
        if let server = command as? any AsyncMegaphoneCommand {
            let done = DispatchSemaphore(value: 0)
            let result = StatusBox()
            nonisolated(unsafe) let server = server
            Task.detached {
                do {
                    result.status = try await server.execute(console: console)
                } catch {
                    result.status = report(error, command: type(of: server), console: console)
                }
                done.signal()
            }
            done.wait()
            status = result.status
        } else {
            do {
                if let command = command as? any MegaphoneCommand {
                    status = try command.execute(console: console)
                } else {
                    // A group (`megaphone template`) shows its help.
                    var group = command
                    try group.run()
                    status = .success
                }
            } catch {
                status = report(error, command: type(of: command), console: console)
            }
        }
        Foundation.exit(status.rawValue)
    }

    /// Prints a failure the way a person can act on it, and gives its exit status.
    static func report(_ error: any Error, command: any ParsableCommand.Type, console: Console) -> Status {
        switch error {
        case let error as UsageError:
            let name = (["megaphone"] + path(to: command)).joined(separator: " ")
            console.err("Error: \(error.message)\nUsage: \(usageString(for: command))\n  See '\(name) --help' for more information.\n")
            return .usage
        case is TemplateError, is DataError:
            console.err("\(error)\n")
            return Status(libraryError: error) ?? .dataError
        case let error as CampaignFailure:
            var seen: Set<CampaignDiagnostic> = []
            for diagnostic in error.diagnostics where seen.insert(diagnostic).inserted { console.err("\(diagnostic)\n") }
            return Status(error.diagnostics)
        case let error as CommandFailure:
            console.err("megaphone: \(error.message)\n")
            return error.code
        default:
            if let status = Status(libraryError: error) {
                console.err("megaphone: \(error)\n")
                return status
            }
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

/// The exit status a task hands back to the waiting main thread.
final class StatusBox: @unchecked Sendable {
    var status = Status.success
}

/// `megaphone template`: the commands that work on one template.
struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Work with one template file.",
        subcommands: [TemplateRenderCommand.self])
}
