/// One option a command accepts, for parsing and for its help line.
struct OptionSpec: Sendable {
    /// The long name without dashes, such as `data` for `--data`.
    let name: String
    /// A one-letter alias without the dash, if any.
    var short: Character? = nil
    /// The value's placeholder (`file`); nil for a flag that takes no value.
    var valueName: String? = nil
    /// Whether the option may be given more than once.
    var repeatable = false
    let help: String
}

/// One positional argument of a command.
struct ArgumentSpec: Sendable {
    let name: String
    let help: String
    var optional = false
    /// Takes one or more values (the last argument only): `CAMPAIGN...`.
    var repeating = false
}

/// What a command is called, what it takes, and the text of its help.
struct CommandSpec: Sendable {
    /// The words that name it after `megaphone`, such as `["template", "render"]`.
    let path: [String]
    let abstract: String
    var discussion: String? = nil
    var arguments: [ArgumentSpec] = []
    var options: [OptionSpec] = []
    /// Extra usage text after the options, such as `(--out <dir> | --mbox <file>)`.
    var usageOverride: String? = nil

    var commandName: String { (["megaphone"] + path).joined(separator: " ") }

    var usage: String {
        if let usageOverride { return "\(commandName) \(usageOverride)" }
        var parts = [commandName]
        for argument in arguments {
            parts.append((argument.optional ? "[<\(argument.name)>]" : "<\(argument.name)>") + (argument.repeating ? " ..." : ""))
        }
        for option in options {
            var text = "--\(option.name)"
            if let valueName = option.valueName { text += " <\(valueName)>" }
            text = "[\(text)]"
            if option.repeatable { text += " ..." }
            parts.append(text)
        }
        return parts.joined(separator: " ")
    }

    /// The text `--help` prints: OVERVIEW, USAGE, ARGUMENTS, OPTIONS.
    var helpText: String {
        var lines = ["OVERVIEW: \(abstract)"]
        if let discussion { lines += ["", discussion] }
        lines += ["", "USAGE: \(usage)", ""]
        if !arguments.isEmpty {
            lines.append("ARGUMENTS:")
            for argument in arguments {
                lines.append(Self.row("<\(argument.name)>", argument.help))
            }
            lines.append("")
        }
        lines.append("OPTIONS:")
        for option in options {
            var name = option.short.map { "-\($0), " } ?? ""
            name += "--\(option.name)"
            if let valueName = option.valueName { name += " <\(valueName)>" }
            lines.append(Self.row(name, option.help))
        }
        lines.append(Self.row("-h, --help", "Show help information."))
        return lines.joined(separator: "\n") + "\n"
    }

    static func row(_ name: String, _ help: String) -> String {
        let padded = "  " + name
        if padded.count < 26 {
            return padded + String(repeating: " ", count: 26 - padded.count) + help
        }
        return padded + "\n" + String(repeating: " ", count: 26) + help
    }
}
