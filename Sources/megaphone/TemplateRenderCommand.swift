import ArgumentParser
import Foundation
import MegaphoneData
import MegaphoneTemplate
import MegaphoneValue

/// `megaphone template render`: the quickest way to try a template with some JSON data.
struct TemplateRenderCommand: MegaphoneCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a template file with JSON data to standard output.",
        discussion: """
        Values are checked strictly: a name with no value is an error, not a blank.
        Partials ({{> name}}) are the file 'name' with the template's extension (then
        name.mustache), looked for in --partials, then beside the template.
        """)

    @Argument(help: "The template file; a .html file escapes values as HTML.")
    var template: String

    @Option(name: .customLong("data"), parsing: .singleValue,
            help: ArgumentHelp("JSON data; repeat to merge several files (later keys win).", valueName: "file.json"))
    var data: [String] = []

    @Option(name: .customLong("partials"), help: ArgumentHelp("Folder searched first for partials.", valueName: "dir"))
    var partials: String?

    @Option(name: .customLong("locale"), help: ArgumentHelp("Locale for casing and dates (default: en).", valueName: "locale"))
    var locale: String?

    @Flag(name: .customLong("html"), help: "Escape values as HTML.")
    var html = false

    @Flag(name: .customLong("lenient"), help: "Render missing names as blanks instead of failing.")
    var lenient = false

    func execute(console: Console) throws -> Status {
        let path = template
        let data = try JSONLoader.loadMerged(self.data)
        var options = Template.Options(strict: !lenient, locale: locale ?? "en")
        if html { options.escaping = .html }
        let url = URL(fileURLWithPath: path)
        let templateFolder = url.deletingLastPathComponent().path
        let folders = (partials.map { [$0] } ?? []) + [templateFolder]
        let partials = PartialDirectory(directories: folders, templateExtension: url.pathExtension)
        let template = try Template.load(path: path, options: options, partials: partials)
        var output: [UInt8] = []
        try template.render(data, into: &output)
        console.out(bytes: output)
        return .success
    }
}
