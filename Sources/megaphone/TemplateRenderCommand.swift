import Foundation
import MegaphoneData
import MegaphoneTemplate
import MegaphoneValue

/// `megaphone template render`: the quickest way to try a template with some JSON data.
enum TemplateRenderCommand: Command {
    static let spec = CommandSpec(
        path: ["template", "render"],
        abstract: "Render a template file with JSON data to standard output.",
        discussion: """
        Values are checked strictly: a name with no value is an error, not a blank.
        Partials ({{> name}}) are the file 'name' with the template's extension (then
        name.mustache), looked for in --partials, then beside the template.
        """,
        arguments: [ArgumentSpec(name: "template", help: "The template file; a .html file escapes values as HTML.")],
        options: [
            OptionSpec(name: "data", valueName: "file.json", repeatable: true,
                       help: "JSON data; repeat to merge several files (later keys win)."),
            OptionSpec(name: "partials", valueName: "dir", help: "Folder searched first for partials."),
            OptionSpec(name: "locale", valueName: "locale", help: "Locale for casing and dates (default: en)."),
            OptionSpec(name: "html", help: "Escape values as HTML."),
            OptionSpec(name: "lenient", help: "Render missing names as blanks instead of failing."),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard let path = arguments.positionals.first else { return .usage }
        let data = try JSONLoader.loadMerged(arguments.all("data"))
        var options = Template.Options(strict: !arguments.flag("lenient"), locale: arguments.value("locale") ?? "en")
        if arguments.flag("html") { options.escaping = .html }
        let url = URL(fileURLWithPath: path)
        let templateFolder = url.deletingLastPathComponent().path
        let folders = (arguments.value("partials").map { [$0] } ?? []) + [templateFolder]
        let partials = PartialDirectory(directories: folders, templateExtension: url.pathExtension)
        let template = try Template.load(path: path, options: options, partials: partials)
        var output: [UInt8] = []
        try template.render(data, into: &output)
        console.out(bytes: output)
        return .success
    }
}
