import ArgumentParser

/// A subcommand of `megaphone`: swift-argument-parser parses its options into its
/// properties, then `execute` does the work and says how it went.
protocol MegaphoneCommand: ParsableCommand {
    /// Runs the command; errors thrown are printed and mapped to exit statuses by `Megaphone`.
    func execute(console: Console) throws -> Status
}

/// A subcommand that awaits (the server).
protocol AsyncMegaphoneCommand: AsyncParsableCommand {
    func execute(console: Console) async throws -> Status
}

/// A mistake in how a command was called that only shows once its values are read
/// (`--rate 10/x`): printed with the command's usage, exit 64, as the parser's own.
struct UsageError: Error, Sendable {
    let message: String
}

/// A failure a command reports itself, with its message and exit status.
struct CommandFailure: Error {
    let message: String
    let code: Status
}
