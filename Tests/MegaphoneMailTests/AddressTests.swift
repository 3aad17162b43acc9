import MegaphoneMail
import Testing

@Suite struct AddressTests {
    @Test(arguments: [
        ("ambassador@embassy.example.org", "ambassador@embassy.example.org"),
        ("First.Last+tag@Example.ORG", "First.Last+tag@example.org"),
        ("info@bücher.example", "info@xn--bcher-kva.example"),
        ("press@министерство.example", "press@xn--b1afiashkohcid.example"),
        ("\"quoted local\"@example.org", "\"quoted local\"@example.org"),
        ("  padded@example.org ", "padded@example.org"),
    ])
    func validAddresses(input: String, expected: String) throws {
        #expect(try EmailAddress(input).description == expected)
    }

    @Test(arguments: [
        ("no-at-sign.example.org", "has no '@'; an address looks like name@example.org"),
        ("two..dots@example.org", "has a misplaced '.' before the '@' (two dots together, or one at the start or end)"),
        ("user@localhost", "has a domain without a dot; write the full domain, as in example.org"),
        ("us er@example.org", "has ' ' before the '@', which an address cannot contain"),
        ("user@exa_mple.org", "has a character in its domain that domains cannot contain"),
        ("user@-example.org", "has a domain label that starts or ends with '-'"),
        ("@example.org", "has nothing before the '@'"),
        ("user@", "has nothing after the '@'"),
        ("user@example.org\r\nBcc: x@example.com", "contains a line break or NUL character, which could inject mail headers"),
        ("пресса@example.org", "has non-ASCII characters before the '@'; few servers accept that (set \"smtputf8\": true in the campaign if yours does)"),
    ])
    func invalidAddresses(input: String, reason: String) {
        let error = #expect(throws: AddressError.self) { try EmailAddress(input) }
        #expect(error?.reason == reason)
    }

    @Test func smtputf8AllowsNonASCIILocalPart() throws {
        let address = try EmailAddress("пресса@example.org", allowUTF8: true)
        #expect(address.needsSMTPUTF8)
    }

    @Test func comparisonFoldsTheDomainOnly() throws {
        #expect(try EmailAddress("Ana@Example.org").comparisonKey == EmailAddress("Ana@example.ORG").comparisonKey)
        #expect(try EmailAddress("Ana@example.org").comparisonKey != EmailAddress("ana@example.org").comparisonKey)
    }

    @Test func punycodeMatchesRFC3492Samples() {
        #expect(Punycode.encode("bücher") == "bcher-kva")
        #expect(Punycode.encode("münchen") == "mnchen-3ya")
        #expect(Punycode.encode("他们为什么不说中文") == "ihqwcrb4cv8a8dqg056pqjye")
    }

    @Test func listsSplitOnlyBetweenMailboxes() throws {
        let list = try Mailbox.parseList("Embassy of X, London <x@example.org>, \"Doe, Jane\" <jane@example.org>, plain@example.org")
        #expect(list.map(\.displayName) == ["Embassy of X, London", "Doe, Jane", ""])
        #expect(list.map(\.address.description) == ["x@example.org", "jane@example.org", "plain@example.org"])
    }

    @Test func displayNamesRefuseLineBreaks() throws {
        #expect(throws: AddressError.self) { try Mailbox(displayName: "Evil\r\nBcc: x@example.com", address: EmailAddress("a@example.org")) }
    }
}
