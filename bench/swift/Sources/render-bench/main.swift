// Renders the benchmark letter once per CSV row with one engine and writes every
// letter to standard output (the harness sends it to /dev/null, or to a file once
// to check that all engines produce the same bytes).
//   render-bench ENGINE TEMPLATE-FOLDER ROWS.csv
// ENGINE: megaphone | megaphone-filters | swift-mustache | stencil
// Prints the seconds the render loop took (after loading the rows, compiling the
// template and building each engine's row values) to standard error.
import Foundation
import MegaphoneTemplate
import MegaphoneValue
import Mustache
import Stencil

let arguments = CommandLine.arguments
guard arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: render-bench ENGINE TEMPLATE-FOLDER ROWS.csv\n".utf8))
    exit(64)
}
let engine = arguments[1], folder = arguments[2], csvPath = arguments[3]

func read(_ path: String) -> String {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(66)
    }
    return text
}

// The generated CSV has no quoted fields: split its bytes on newlines and commas.
// Each row becomes the value every engine renders: a Value object for Megaphone,
// a [String: String] for the others (as Python's csv.DictReader gives its peers).
func parseCSV(_ path: String) -> (header: [String], rows: [[String]]) {
    guard let contents = FileManager.default.contents(atPath: path) else { exit(66) }
    let data = [UInt8](contents)
    var rows: [[String]] = []
    var fields: [String] = []
    var start = data.startIndex
    for index in data.indices {
        let byte = data[index]
        if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") {
            fields.append(String(decoding: data[start..<index], as: UTF8.self))
            start = index + 1
            if byte == UInt8(ascii: "\n") {
                rows.append(fields)
                fields = []
            }
        }
    }
    return (rows[0], Array(rows.dropFirst()))
}
let (header, table) = parseCSV(csvPath)
let shared = try JSONParser.parse(read("\(folder)/data.json"))

var output = [UInt8]()
output.reserveCapacity(1 << 22)
/// Writes the buffer to standard output with write(2), no copy.
@MainActor func flush() {
    output.withUnsafeBytes { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(1, bytes.baseAddress! + offset, bytes.count - offset)
            if written <= 0 { exit(74) }
            offset += written
        }
    }
    output.removeAll(keepingCapacity: true)
}
@MainActor func flushIfFull() {
    if output.count > 1 << 21 { flush() }
}

func plainDemands() -> [[String: String]] {
    guard case .array(let items)? = shared["demands"] else { return [] }
    return items.compactMap { item in
        guard case .string(let number)? = item["number"], case .string(let text)? = item["text"] else { return nil }
        return ["number": number, "text": text]
    }
}

/// The shared data as the `[String: Any]` that swift-mustache and Stencil render.
func baseContext() -> [String: Any] {
    var base: [String: Any] = ["demands": plainDemands()]
    if case .object(let members) = shared {
        for (key, value) in members where key != "demands" { base[key] = value.scalarText ?? "" }
    }
    return base
}

var loopStart = DispatchTime.now()

/// The loop for the `[String: Any]` engines: each row as `recipient` and `signer` over the shared data.
@MainActor func renderPeer(_ render: ([String: Any]) throws -> String) throws {
    let rows = table.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    let base = baseContext()
    loopStart = DispatchTime.now()
    for row in rows {
        var context = base
        context["recipient"] = row
        context["signer"] = row
        output.append(contentsOf: try render(context).utf8)
        flushIfFull()
    }
}

switch engine {
case "megaphone", "megaphone-filters":
    let file = engine == "megaphone" ? "letter.mustache" : "letter-filters.mustache"
    let template = try Template(source: read("\(folder)/\(file)"), path: file)
    let rows: [Value] = table.map { fields in
        var row = Object()
        for (name, text) in zip(header, fields) { row[name] = .string(text) }
        return .object(row)
    }
    loopStart = DispatchTime.now()
    for row in rows {
        let frame = Value.object(["recipient": row, "signer": row])
        try template.render(frames: [shared, frame], into: &output)
        flushIfFull()
    }
case "swift-mustache":
    let template = try MustacheTemplate(string: read("\(folder)/letter.mustache"))
    try renderPeer { template.render($0) }
case "stencil":
    let environment = Environment()
    let template = try environment.templateClass.init(templateString: read("\(folder)/letter.stencil"), environment: environment)
    try renderPeer { try template.render($0) }
default:
    FileHandle.standardError.write(Data("unknown engine \(engine)\n".utf8))
    exit(64)
}
flush()
let seconds = Double(DispatchTime.now().uptimeNanoseconds - loopStart.uptimeNanoseconds) / 1e9
FileHandle.standardError.write(Data("render-seconds \(seconds)\n".utf8))
