/// The options and arguments given to one command.
struct ParsedArguments: Sendable {
    var positionals: [String] = []
    var values: [String: [String]] = [:]
    var flags: Set<String> = []
    var wantsHelp = false

    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func flag(_ name: String) -> Bool { flags.contains(name) }
}

/// A mistake in how a command was called: printed with the usage, exit 64.
struct UsageError: Error, Sendable {
    let message: String
    let command: CommandSpec?
}

/// Parses arguments the way swift-argument-parser does: `--flag value` and
/// `--flag=value`, `-h`/`--help` anywhere, and `--` ending the options.
struct ArgumentParser {
    let spec: CommandSpec

    func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments {
        var result = ParsedArguments()
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                result.positionals.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            if argument == "-h" || argument == "--help" {
                result.wantsHelp = true
                continue
            }
            var name: String
            var inlineValue: String? = nil
            let option: OptionSpec?
            if argument.hasPrefix("--") {
                name = String(argument.dropFirst(2))
                if let equals = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
                option = spec.options.first { $0.name == name }
            } else {
                let letter = argument.dropFirst().first
                option = argument.count == 2 ? spec.options.first { $0.short == letter } : nil
                name = option?.name ?? String(argument.dropFirst())
            }
            guard let option else {
                throw UsageError(message: "Unknown option '\(argument)'", command: spec)
            }
            if option.valueName == nil {
                if inlineValue != nil {
                    throw UsageError(message: "The option '--\(option.name)' takes no value", command: spec)
                }
                result.flags.insert(option.name)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else if index < arguments.count, !(arguments[index].hasPrefix("--") && arguments[index].count > 2) {
                value = arguments[index]
                index += 1
            } else {
                throw UsageError(message: "Missing value for '--\(option.name) <\(option.valueName ?? "value")>'", command: spec)
            }
            if !option.repeatable, result.values[option.name] != nil {
                throw UsageError(message: "The option '--\(option.name)' was given more than once", command: spec)
            }
            result.values[option.name, default: []].append(value)
        }
        if result.wantsHelp { return result }
        let required = spec.arguments.filter { !$0.optional }.count
        if result.positionals.count < required {
            let missing = spec.arguments[result.positionals.count]
            throw UsageError(message: "Missing expected argument '<\(missing.name)>'", command: spec)
        }
        if result.positionals.count > spec.arguments.count, spec.arguments.last?.repeating != true {
            throw UsageError(message: "Unexpected argument '\(result.positionals[spec.arguments.count])'", command: spec)
        }
        return result
    }
}
