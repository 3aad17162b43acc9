/// A subcommand of `megaphone`: its spec (name, options, help) and what it does.
protocol Command {
    static var spec: CommandSpec { get }
    /// Runs the command; errors thrown are printed and mapped to exit codes by `Megaphone`.
    static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode
}

/// A failure a command reports itself, with its message and exit code.
struct CommandFailure: Error {
    let message: String
    let code: ExitCode
}
