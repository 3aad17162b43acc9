import Foundation

/// Reads a CSV file (RFC 4180) one row at a time, so memory does not grow with the
/// file: UTF-8 (a byte order mark is dropped), CRLF or LF, quoted fields holding
/// delimiters, quotes and line breaks, and a delimiter detected among `,` `;` and tab.
/// The first row names the columns; blank lines are skipped.
public final class CSVReader {
    public let path: String
    /// The column names, as written in the first row.
    public private(set) var header: [String] = []
    /// The delimiter found in the first row.
    public private(set) var delimiter: UInt8 = UInt8(ascii: ",")

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEndOfFile = false
    private var line = 1
    private var finished = false

    private static let chunkSize = 1 << 16

    /// Opens the file and reads its header row.
    public init(path: String) throws(DataError) {
        self.path = path
        _ = try DataFile.read(path, checkOnly: true)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataError(kind: .missingFile, path: path, message: "cannot be read; check its permissions")
        }
        self.handle = handle
        fill()
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        delimiter = detectDelimiter()
        guard let first = try readRecord() else {
            throw DataError(path: path, line: 1, message: "the file is empty; its first row must name the columns, as in name,email")
        }
        try checkHeader(first)
        header = first.fields
    }

    deinit {
        try? handle.close()
    }

    /// An upper bound on the number of rows, from a quick count of the file's line
    /// breaks (a quoted line break counts too): lets a reader size its tables once.
    public func estimatedRowCount() -> Int {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return 0 }
        defer { close(descriptor) }
        let size = 1 << 20
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { chunk.deallocate() }
        var breaks = 0
        while true {
            let count = read(descriptor, chunk, size)
            guard count > 0 else { break }
            var cursor = UnsafeRawPointer(chunk)
            var remaining = count
            while remaining > 0, let found = memchr(cursor, 10, remaining) {
                breaks += 1
                let advance = UnsafeRawPointer(found) - cursor + 1
                cursor += advance
                remaining -= advance
            }
        }
        return breaks + 1
    }

    /// Column names that a template tag cannot reach (a `.`, a space or `|` in them).
    public var unreachableColumns: [String] {
        header.filter { name in name.contains { $0 == "." || $0 == "|" || $0.isWhitespace || $0 == "{" || $0 == "}" } || name.hasPrefix("@") }
    }

    private func checkHeader(_ record: CSVRecord) throws(DataError) {
        var seen: Set<String> = []
        for (index, name) in record.fields.enumerated() {
            if name.trimmingCharacters(in: .whitespaces).isEmpty {
                throw DataError(path: path, line: record.line,
                                message: "column \(index + 1) of the first row has no name; every column needs one, as in name,email")
            }
            if !seen.insert(name).inserted {
                throw DataError(path: path, line: record.line, columnName: name,
                                message: "two columns are named '\(name)'; rename one of them")
            }
        }
    }

    /// The next data row, or nil at the end. A malformed row throws; calling `next()`
    /// again continues after it (an unterminated quote ends the file).
    public func next() throws(DataError) -> CSVRecord? {
        while let record = try readRecord() {
            if record.fields.count == 1, record.fields[0].isEmpty { continue }   // blank line
            guard record.fields.count == header.count else {
                let count = record.fields.count
                let hint = count > header.count
                    ? "; a field that contains '\(Character(Unicode.Scalar(delimiter)))' must be in double quotes"
                    : ""
                throw DataError(path: path, line: record.line,
                                message: "this row has \(count) field\(count == 1 ? "" : "s") but the first row names \(header.count) columns\(hint)")
            }
            return record
        }
        return nil
    }

    /// The row as an object keyed by column name.
    public func object(_ record: CSVRecord) -> [String: String] {
        var members: [String: String] = [:]
        members.reserveCapacity(header.count)
        for (name, value) in zip(header, record.fields) { members[name] = value }
        return members
    }

    // MARK: Reading

    private func fill() {
        guard !atEndOfFile else { return }
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        let data = handle.readData(ofLength: Self.chunkSize)
        if data.isEmpty { atEndOfFile = true } else { buffer.append(contentsOf: data) }
    }

    private func peek() -> UInt8? {
        if position >= buffer.count { fill() }
        return position < buffer.count ? buffer[position] : nil
    }

    private func detectDelimiter() -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, 9: 0]
        var inQuotes = false
        var index = position
        while index < buffer.count {
            let byte = buffer[index]
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if !inQuotes {
                if byte == 10 || byte == 13 { break }
                if counts[byte] != nil { counts[byte, default: 0] += 1 }
            }
            index += 1
        }
        let best = counts.max { a, b in a.value == b.value ? a.key > b.key : a.value < b.value }
        guard let best, best.value > 0 else { return UInt8(ascii: ",") }
        return best.key
    }

    private func text(_ bytes: [UInt8], line: Int, column: Int) throws(DataError) -> String {
        guard let string = String(validating: bytes, as: UTF8.self) else {
            let name = column < header.count ? header[column] : nil
            throw DataError(path: path, line: line, columnName: name,
                            message: "this field is not valid UTF-8; save the file as UTF-8 (CSV UTF-8 in spreadsheet programs)")
        }
        return string
    }

    private func readRecord() throws(DataError) -> CSVRecord? {
        guard !finished else { return nil }
        guard peek() != nil else {
            finished = true
            return nil
        }
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        var problem: DataError? = nil
        while true {
            guard let byte = peek() else {
                fields.append(try text(field, line: startLine, column: fields.count))
                break
            }
            if byte == UInt8(ascii: "\""), field.isEmpty {
                position += 1
                let quoteLine = line
                var closed = false
                while let inner = peek() {
                    position += 1
                    if inner == UInt8(ascii: "\"") {
                        if peek() == UInt8(ascii: "\"") {
                            field.append(inner)
                            position += 1
                        } else {
                            closed = true
                            break
                        }
                    } else {
                        if inner == 10 { line += 1 }
                        field.append(inner)
                    }
                }
                guard closed else {
                    finished = true
                    throw DataError(path: path, line: quoteLine,
                                    message: "a quoted field starts here but its closing double quote is missing; add '\"' where the field ends")
                }
                if let after = peek(), after != delimiter, after != 10, after != 13, problem == nil {
                    problem = DataError(path: path, line: line,
                                        message: "text follows a closing double quote; write a quote inside a quoted field as two quotes (\"\")")
                }
                continue
            }
            position += 1
            if byte == delimiter {
                fields.append(try text(field, line: startLine, column: fields.count))
                field.removeAll(keepingCapacity: true)
            } else if byte == 10 || byte == 13 {
                if byte == 13, peek() == 10 { position += 1 }
                line += 1
                fields.append(try text(field, line: startLine, column: fields.count))
                break
            } else {
                field.append(byte)
            }
        }
        if let problem { throw problem }
        return CSVRecord(line: startLine, fields: fields)
    }
}
