import MegaphoneValue
import Testing

@Suite struct JSONParserTests {
    @Test func keepsKindsDistinct() throws {
        let value = try JSONParser.parse(#"{"i": 85, "d": 1.210, "e": 1e3, "t": true, "n": null, "s": "x", "a": [1, [2]]}"#)
        #expect(value["i"]?.scalarText == "85")
        #expect(value["d"]?.scalarText == "1.21")
        #expect(value["e"]?.scalarText == "1000")
        #expect(value["t"]?.scalarText == "true")
        #expect(value["n"]?.isNull == true)
        if case .array(let items)? = value["a"] { #expect(items.count == 2) } else { Issue.record("a is not a list") }
    }

    @Test func decodesEscapesAndUnicode() throws {
        let value = try JSONParser.parse(#"["Қазақстан \"strike\"\n\u00e9\ud83d\ude00\/"]"#)
        #expect(value == ["Қазақстан \"strike\"\né😀/"])
    }

    @Test func skipsAByteOrderMark() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8)) == [:])
    }

    @Test(arguments: [
        ("{\"a\": 1,\n  \"b\": tru}", 2, 8, "expected 'true'; text values need double quotes, as in \"…\""),
        ("{\"a\": [1, 2}", 1, 12, "expected ',' or ']' in this list but found '}'"),
        ("{\"a\": 1 \"b\": 2}", 1, 9, "expected ',' or '}' after the value of \"a\" but found '\"'"),
        ("{\"ambassador\": \"Ms Moreau}", 1, 16, "this text is never closed; add '\"'"),
        ("{\n  \"name\": Ana\n}", 2, 11, "expected a value (text in double quotes, a number, true, false, null, [ or {) but found 'A'"),
        ("[1, 2", 1, 1, "this list is never closed; add ']'"),
        ("{} x", 1, 4, "unexpected text after the end of the JSON value"),
        ("{\"zip\": 0123}", 1, 9, "numbers cannot start with 0; write text in double quotes (\"0123\") to keep a leading zero"),
        ("", 1, 1, "expected a value but the file ends here"),
    ])
    func errorsHaveLineAndColumn(text: String, line: Int, column: Int, message: String) {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
        #expect(error == JSONSyntaxError(line: line, column: column, message: message))
    }
}

