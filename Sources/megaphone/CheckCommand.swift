import MegaphoneCampaign

/// `megaphone check`: validates a whole campaign before anything is sent.
enum CheckCommand: Command {
    static let spec = CommandSpec(
        path: ["check"],
        abstract: "Check a campaign: every file, row, header, address and letter.",
        discussion: """
        Renders every message in strict mode without writing or sending anything, and
        lists every problem as file:line:column, then a summary line.
        """,
        arguments: [ArgumentSpec(name: "campaign", help: "The campaign file (JSON).")])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard let path = arguments.positionals.first else { return .usage }
        let report = CampaignChecker.check(path)
        var output = report.diagnostics.map { $0.description + "\n" }.joined()
        output += report.summary + "\n"
        console.out(output)
        if report.errorCount > 0 { return report.hasMissingFile ? .noInput : .dataError }
        return .success
    }
}
