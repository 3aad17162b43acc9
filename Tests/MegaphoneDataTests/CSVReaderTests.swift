import Foundation
import MegaphoneData
import Testing

@Suite struct CSVReaderTests {
    private func file(_ bytes: [UInt8]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("megaphone-\(UUID().uuidString).csv")
        try Data(bytes).write(to: url)
        return url.path
    }

    private func file(_ text: String) throws -> String { try file(Array(text.utf8)) }

    private func readAll(_ path: String) throws -> (CSVReader, [CSVRecord]) {
        let reader = try CSVReader(path: path)
        var records: [CSVRecord] = []
        while let record = try reader.next() { records.append(record) }
        return (reader, records)
    }

    @Test func quotedFieldsWithCommasQuotesAndNewlines() throws {
        let path = try file("name,email,note\r\n\"Akhmetov, Daniyar\",d@example.org,\"He said \"\"no\"\"\r\nthen left\"\r\nAna,a@example.org,plain\r\n")
        let (reader, records) = try readAll(path)
        #expect(reader.header == ["name", "email", "note"])
        #expect(records.map(\.fields) == [
            ["Akhmetov, Daniyar", "d@example.org", "He said \"no\"\r\nthen left"],
            ["Ana", "a@example.org", "plain"],
        ])
        #expect(records.map(\.line) == [2, 4])
    }

    @Test(arguments: [(",", ","), (";", ";"), ("\t", "\t")])
    func detectsTheDelimiter(delimiter: String, expected: String) throws {
        let path = try file(["name", "email", "city"].joined(separator: delimiter) + "\n"
                            + ["Zoë", "z@example.org", "\"Almaty\(delimiter) KZ\""].joined(separator: delimiter) + "\n")
        let (reader, records) = try readAll(path)
        #expect(reader.delimiter == UInt8(ascii: Unicode.Scalar(expected)!))
        #expect(records.first?.fields == ["Zoë", "z@example.org", "Almaty\(delimiter) KZ"])
    }

    @Test func semicolonFileFromASpreadsheet() throws {
        let path = try file([0xEF, 0xBB, 0xBF] + Array("Name;E-mail;Ville\r\nÉlodie;e@example.org;Paris\r\n".utf8))
        let (reader, records) = try readAll(path)
        #expect(reader.header == ["Name", "E-mail", "Ville"])
        #expect(records.first?.fields == ["Élodie", "e@example.org", "Paris"])
        #expect(reader.object(records[0])["Ville"] == "Paris")
    }

    @Test func blankLinesAreSkippedAndLFWorks() throws {
        let path = try file("a,b\n\n1,2\n\n\n3,4")
        let (_, records) = try readAll(path)
        #expect(records.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(records.map(\.line) == [3, 6])
    }

    @Test func raggedRowsNameTheirLineAndReadingGoesOn() throws {
        let path = try file("name,email\nAna,a@example.org\nBo,b@example.org,extra\nCy\nDee,d@example.org\n")
        let reader = try CSVReader(path: path)
        var errors: [DataError] = []
        var good: [String] = []
        while true {
            do {
                guard let record = try reader.next() else { break }
                good.append(record.fields[0])
            } catch {
                errors.append(error)
            }
        }
        #expect(good == ["Ana", "Dee"])
        #expect(errors.map(\.line) == [3, 4])
        #expect(errors.first?.description == "\(path):3: error: this row has 3 fields but the first row names 2 columns; a field that contains ',' must be in double quotes")
        #expect(errors.last?.message == "this row has 1 field but the first row names 2 columns")
    }

    @Test func unterminatedQuoteNamesTheLineItStarts() throws {
        let path = try file("name,email\nAna,a@example.org\n\"Bo,b@example.org\nCy,c@example.org\n")
        let reader = try CSVReader(path: path)
        _ = try reader.next()
        let error = #expect(throws: DataError.self) { try reader.next() }
        #expect(error?.line == 3)
        #expect(error?.message == "a quoted field starts here but its closing double quote is missing; add '\"' where the field ends")
        #expect(try reader.next() == nil)
    }

    @Test func invalidUTF8NamesLineAndColumn() throws {
        let path = try file(Array("name,city\nAna,".utf8) + [0xE9] + Array("vry\n".utf8))
        let reader = try CSVReader(path: path)
        let error = #expect(throws: DataError.self) { try reader.next() }
        #expect(error?.line == 2)
        #expect(error?.columnName == "city")
        #expect(error?.description == "\(path):2: error: this field is not valid UTF-8; save the file as UTF-8 (CSV UTF-8 in spreadsheet programs) (column 'city')")
    }

    @Test func headerProblems() throws {
        let duplicate = #expect(throws: DataError.self) { try CSVReader(path: try file("name,email,name\n")) }
        #expect(duplicate?.message == "two columns are named 'name'; rename one of them")
        let empty = #expect(throws: DataError.self) { try CSVReader(path: try file("name,,email\n")) }
        #expect(empty?.message == "column 2 of the first row has no name; every column needs one, as in name,email")
        let nothing = #expect(throws: DataError.self) { try CSVReader(path: try file("")) }
        #expect(nothing?.line == 1)
        let missing = #expect(throws: DataError.self) { try CSVReader(path: "/nonexistent/x.csv") }
        #expect(missing?.kind == .missingFile)
    }

    @Test func columnsATagCannotReach() throws {
        let reader = try CSVReader(path: try file("name,e.mail,first name,city\n"))
        #expect(reader.unreachableColumns == ["e.mail", "first name"])
    }

    @Test func textAfterClosingQuote() throws {
        let reader = try CSVReader(path: try file("a,b\n\"x\"y,2\n"))
        let error = #expect(throws: DataError.self) { try reader.next() }
        #expect(error?.line == 2)
    }

    @Test func streamsLargeFilesAcrossChunks() throws {
        var text = "name,email,note\n"
        for index in 0..<20_000 { text += "Person \(index),p\(index)@example.org,\"multi\nline \(index)\"\n" }
        let (_, records) = try readAll(try file(text))
        #expect(records.count == 20_000)
        #expect(records.last?.fields == ["Person 19999", "p19999@example.org", "multi\nline 19999"])
        #expect(records.last?.line == 2 + 19_999 * 2)
    }
}

@Suite struct TextListLoaderTests {
    @Test func itemsSkipBlanksAndComments() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("demands-\(UUID().uuidString).txt")
        try "# The campaign's demands\n\nFree the lawyer.\n  Reinstate the workers.  \n# end\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(try TextListLoader.load(url.path) == ["Free the lawyer.", "Reinstate the workers."])
        #expect(TextListLoader.listName(for: "campaigns/demands.txt") == "demands")
    }
}
