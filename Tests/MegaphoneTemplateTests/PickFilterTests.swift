import MegaphoneTemplate
import MegaphoneValue
import Testing

/// `| pick`: one item of a list, chosen by a stable hash of the key the caller gives.
@Suite struct PickFilterTests {
    let openings: Value = ["Opening one.", "Opening two.", "Opening three.", "Opening four.", "Opening five."]

    func render(_ source: String, keys: [String: String], strict: Bool = true) throws -> String {
        try Template(source: source, path: "letter.txt", options: .init(strict: strict))
            .render(frames: [["openings": openings]], pickKeys: PickKeys(message: keys["message"], signer: keys["signer"], recipient: keys["recipient"]))
    }

    @Test func theSameKeyPicksTheSameItemOnEveryRun() throws {
        let first = try render("{{ openings | pick }}", keys: ["message": "embassy@example.org anna@example.com"])
        for _ in 0..<20 {
            #expect(try render("{{ openings | pick }}", keys: ["message": "embassy@example.org anna@example.com"]) == first)
        }
        // Fixed values: the choice must not change between releases (a resumed run renders the same letter).
        #expect(try render("{{ openings | pick }}", keys: ["message": "a"]) == "Opening one.")
        #expect(try render("{{ openings | pick }}", keys: ["message": "b"]) == "Opening one.")
    }

    @Test func keysSpreadOverTheAlternatives() throws {
        var seen: [String: Int] = [:]
        for n in 0..<500 { seen[try render("{{ openings | pick }}", keys: ["message": "r@example.org s\(n)@example.com"]), default: 0] += 1 }
        #expect(seen.count == 5)
        #expect(seen.values.allSatisfy { $0 > 50 })
    }

    @Test func pickSignerKeysOnTheSignerAlone() throws {
        let a = try render("{{ openings | pick: \"signer\" }}", keys: ["message": "x@example.org s@example.com", "signer": "s@example.com"])
        let b = try render("{{ openings | pick: \"signer\" }}", keys: ["message": "y@example.org s@example.com", "signer": "s@example.com"])
        #expect(a == b)
    }

    @Test func twoListsInOneLetterVaryIndependently() throws {
        let template = "{{ openings | pick }}|{{ closings | pick }}"
        var pairs: Set<String> = []
        for n in 0..<200 {
            let text = try Template(source: template, path: "letter.txt", options: .init(strict: true))
                .render(frames: [["openings": openings, "closings": openings]], pickKeys: PickKeys(message: "k\(n)"))
            let parts = text.split(separator: "|")
            pairs.insert("\(parts[0].prefix(11))-\(parts[1].prefix(11))")
        }
        #expect(pairs.count > 15)
    }

    @Test func mistakesAreReportedWithLineAndColumn() throws {
        #expect(throws: TemplateError.self) { try render("{{ openings | pick: \"planet\" }}", keys: ["message": "k"]) }
        do {
            _ = try render("Dear friend,\n{{ name | pick }}", keys: ["message": "k"])
        } catch {
            #expect("\(error)".contains("letter.txt:2:"))
        }
        let notAList = try? Template(source: "{{ title | pick }}", path: "letter.txt", options: .init(strict: true))
            .render(frames: [["title": "One"]], pickKeys: PickKeys(message: "k"))
        #expect(notAList == nil)
        do {
            _ = try Template(source: "{{ title | pick }}", path: "letter.txt", options: .init(strict: true))
                .render(frames: [["title": "One"]], pickKeys: PickKeys(message: "k"))
        } catch {
            #expect("\(error)".contains("the filter 'pick' chooses among a list of alternatives, but the value is text"))
        }
        do {
            _ = try render("{{ openings | pick: \"signer\" }}", keys: ["message": "k"])
            Issue.record("pick: \"signer\" with no signer should fail")
        } catch {
            #expect("\(error)".contains("a signer exists only in each-signer mode"))
        }
    }
}
