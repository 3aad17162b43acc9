import Foundation
import MegaphoneTestSupport
import Testing

@Suite struct TemplateRenderCommandTests {
    @Test func rendersTheSampleLetter() throws {
        let result = try CLI.run(["template", "render", "templates/embassy-letter.txt",
                                  "--data", "templates/embassy-letter.sample.json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        #expect(result.stdout.hasPrefix("Subject: Free Aliya Serikbayeva and reinstate the Karatobe oilfield strikers\nCc: Campaign Kazakhstan <campaign@example.org>\nX-Campaign: embassy-protest\n\nYour Excellency Mr Daniyar Akhmetov,\n"))
        #expect(result.stdout.contains("\n1. Release Aliya Serikbayeva at once and drop every charge against her.\n2. Reinstate"))
        #expect(result.stdout.contains("\nSIOBHÁN O'CONNELL\nUnite the Union, Leeds branch, Leeds\n"))
        #expect(result.stdout.contains("strike since 14 September 2026,"))
    }

    @Test func severalDataFilesMergeLaterKeysWin() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let template = try folder.write("t.txt", "{{a}} {{b.x}} {{b.y}}")
        let first = try folder.write("1.json", #"{"a": "one", "b": {"x": "bx", "y": "by"}}"#)
        let second = try folder.write("2.json", #"{"a": "two", "b": {"y": "BY"}}"#)
        let result = try CLI.run(["template", "render", template.path, "--data", first.path, "--data=\(second.path)"])
        #expect(result.stdout == "two bx BY")
        #expect(result.status == 0)
    }

    @Test func htmlByExtensionOrFlag() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let data = try folder.write("d.json", #"{"org": "Smith & Sons <Ltd>"}"#)
        let html = try folder.write("t.html", "<p>{{org}}</p>")
        let text = try folder.write("t.txt", "{{org}}")
        #expect(try CLI.run(["template", "render", html.path, "--data", data.path]).stdout == "<p>Smith &amp; Sons &lt;Ltd&gt;</p>")
        #expect(try CLI.run(["template", "render", text.path, "--data", data.path]).stdout == "Smith & Sons <Ltd>")
        #expect(try CLI.run(["template", "render", "--html", text.path, "--data", data.path]).stdout == "Smith &amp; Sons &lt;Ltd&gt;")
    }

    @Test func partialsFromFlagThenBesideTheTemplate() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let template = try folder.write("letters/letter.txt", "{{> greeting}}\n{{> sign}}")
        _ = try folder.write("letters/greeting.txt", "Dear friend,\n")
        _ = try folder.write("letters/sign.txt", "beside")
        _ = try folder.write("shared/sign.txt", "from --partials")
        let result = try CLI.run(["template", "render", template.path, "--partials", folder.url.appendingPathComponent("shared").path])
        #expect(result.stdout == "Dear friend,\nfrom --partials")
    }

    @Test func missingValueExits65WithLocatedError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let template = try folder.write("letter.txt", "Subject: hi\n\nDear {{ recipient.ambassador }},\n")
        let result = try CLI.run(["template", "render", "letter.txt"], in: folder.url)
        #expect(result.status == 65)
        #expect(result.stdout == "")
        #expect(result.stderr == """
        letter.txt:3:9: error: no value for 'recipient.ambassador'; add it to the data, or write {{recipient.ambassador | default: "…"}} to allow a blank
        Dear {{ recipient.ambassador }},
                ^

        """)
        _ = template
        let lenient = try CLI.run(["template", "render", "letter.txt", "--lenient"], in: folder.url)
        #expect(lenient.status == 0)
        #expect(lenient.stdout == "Subject: hi\n\nDear ,\n")
    }

    @Test func compileErrorsAreAllListed() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write("bad.txt", "{{#demands}}\n{{ x | shout }}\n")
        let result = try CLI.run(["template", "render", "bad.txt"], in: folder.url)
        #expect(result.status == 65)
        #expect(result.stderr.contains("bad.txt:1:1: error: section 'demands' is never closed"))
        #expect(result.stderr.contains("bad.txt:2:8: error: unknown filter 'shout'"))
    }

    @Test func missingFilesExit66() throws {
        let missingTemplate = try CLI.run(["template", "render", "nope.txt"])
        #expect(missingTemplate.status == 66)
        #expect(missingTemplate.stderr == "megaphone: nope.txt: no such file; check the path\n")
        let missingData = try CLI.run(["template", "render", "templates/embassy-letter.txt", "--data", "nope.json"])
        #expect(missingData.status == 66)
        #expect(missingData.stderr == "nope.json: error: no such file; check the path\n")
    }

    @Test func badJSONExits65WithLineAndColumn() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write("t.txt", "{{a}}")
        _ = try folder.write("d.json", "{\n  \"a\": 'single'\n}")
        let result = try CLI.run(["template", "render", "t.txt", "--data", "d.json"], in: folder.url)
        #expect(result.status == 65)
        #expect(result.stderr == "d.json:2:8: error: expected a value (text in double quotes, a number, true, false, null, [ or {) but found '''\n")
    }
}
