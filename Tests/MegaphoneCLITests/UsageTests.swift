import MegaphoneTestSupport
import Testing

@Suite struct UsageTests {
    @Test func versionAndHelp() throws {
        let version = try CLI.run(["--version"])
        #expect(version.stdout == "megaphone 0.1.0\n")
        #expect(version.status == 0)
        let help = try CLI.run(["--help"])
        #expect(help.stdout.hasPrefix("OVERVIEW: "))
        #expect(help.stdout.contains("\nSUBCOMMANDS:\n  check "))
        #expect(help.stdout.contains("\n  template                Work with one template file.\n"))
        #expect(try CLI.run([]).stdout == help.stdout)
        let group = try CLI.run(["template"])
        #expect(group.status == 0)
        #expect(group.stdout.contains("\nSUBCOMMANDS:\n  render                  Render a template file with JSON data to standard\n"))
    }

    @Test(arguments: [["help", "template", "render"], ["template", "render", "--help"], ["template", "render", "-h"], ["template", "render", "x", "--help"]])
    func commandHelp(arguments: [String]) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("OVERVIEW: Render a template file with JSON data to standard output.\n"))
        #expect(result.stdout.contains("\nUSAGE: megaphone template render <template> [--data <file.json> ...] [--partials <dir>] [--locale <locale>] [--html] [--lenient]\n"))
        #expect(result.stdout.contains("\nARGUMENTS:\n  <template>  "))
        #expect(result.stdout.contains("\n  -h, --help              Show help information.\n"))
    }

    @Test func unknownOptionShowsUsageAndExits64() throws {
        let result = try CLI.run(["template", "render", "t.txt", "--bogus"])
        #expect(result.status == 64)
        #expect(result.stdout == "")
        #expect(result.stderr == """
        Error: Unknown option '--bogus'
        Usage: megaphone template render <template> [--data <file.json> ...] [--partials <dir>] [--locale <locale>] [--html] [--lenient]
          See 'megaphone template render --help' for more information.

        """)
    }

    @Test(arguments: [
        (["frobnicate"], "Error: Unexpected argument 'frobnicate'"),
        (["--frob"], "Error: Unknown option '--frob'"),
        (["template", "frob"], "Error: Unexpected argument 'frob'"),
        (["template", "render"], "Error: Missing expected argument '<template>'"),
        (["template", "render", "a", "b"], "Error: Unexpected argument 'b'"),
        (["template", "render", "a", "--data"], "Error: Missing value for '--data <file.json>'"),
        (["template", "render", "a", "--html=yes"], "Error: The option '--html' does not take any value, but 'yes' was specified."),
        (["send", "--connections"], "Error: Missing value for '--connections <n>'"),
        (["send", "c.json", "--rate", "fast"], "Error: --rate takes a pace such as 10/s, 300/min or 1000/h"),
        (["serve", "c.json", "--header-timeout", "soon"], "Error: The value 'soon' is invalid for '--header-timeout <duration>'"),
        (["serve", "c.json", "--body-timeout", "30"], "Error: The value '30' is invalid for '--body-timeout <duration>'"),
        (["serve", "c.json", "--idle-timeout", "0s"], "Error: The value '0s' is invalid for '--idle-timeout <duration>'"),
        (["serve", "c.json", "--max-connections", "0"], "Error: --max-connections takes a number of connections above 0, such as 10000"),
        (["serve", "c.json", "--max-per-client=-1"], "Error: --max-per-client takes a number of connections, such as 256, or 0 for no cap"),
    ])
    func usageErrors(arguments: [String], firstLine: String) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 64)
        // swift-argument-parser shows the missing item's help between the two ("Help:  <template>  …").
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first.map(String.init) == firstLine)
        #expect(lines.dropFirst().first { !$0.hasPrefix("Help: ") }?.hasPrefix("Usage: megaphone ") == true, "\(result.stderr)")
        #expect(result.stderr.contains("for more information.\n"))
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScripts(shell: String) throws {
        let result = try CLI.run(["--generate-completion-script", shell])
        #expect(result.status == 0)
        #expect(result.stdout.contains("megaphone"))
        for word in ["check", "send", "serve", "keep-spool"] { #expect(result.stdout.contains(word), "\(shell): \(word)") }
    }

    @Test func doubleDashEndsOptions() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write("--odd.txt", "odd name")
        let result = try CLI.run(["template", "render", "--", "--odd.txt"], in: folder.url)
        #expect(result.status == 0)
        #expect(result.stdout == "odd name")
    }
}
