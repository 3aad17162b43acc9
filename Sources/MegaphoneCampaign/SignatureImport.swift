public import Foundation
import MegaphoneData
public import MegaphoneSignatures

/// `megaphone signatures CAMPAIGN --import FILE.csv`: signatures collected elsewhere
/// (another platform's export, paper sheets typed up) added to a petition's store as
/// confirmed, each row checked by the same rule as the page's form. Read and written
/// one row at a time inside one transaction: either every row is stored, or (when a
/// row is wrong and `refused` is nil) none is.
public struct SignatureImport {
    public let manifest: CampaignManifest
    public let file: String
    /// `import` (another platform) or `paper`: kept with each signature.
    public let source: String
    /// Where rows that fail the rule are written, with their reasons, while the rest are
    /// stored (`--skip-invalid FILE`); nil: one wrong row stops the import.
    public let refused: String?
    /// The most errors printed before the import says how many more there were.
    public static let shownErrors = 50

    public init(manifest: CampaignManifest, file: String, source: String = "import", refused: String? = nil) {
        self.manifest = manifest
        self.file = file
        self.source = source
        self.refused = refused
    }

    /// What an import did.
    public struct Report: Sendable {
        public var added = 0
        /// Rows whose address had signed already (in the store, or earlier in the file).
        public var duplicates = 0
        /// Rows that failed the rule (written to the refused file, or the reason nothing was stored).
        public var refused = 0
        /// Columns of the file that are not among the page's fields, so not kept.
        public var ignoredColumns: [String] = []
        /// The first errors, each naming its row and column.
        public var errors: [CampaignDiagnostic] = []
        /// Whether the rows were stored (false when an error stopped the import).
        public var stored = false
    }

    /// Runs the import into `store`. Throws for a file that cannot be read or written;
    /// wrong rows come back in the report.
    public func run(into store: SignatureStore, now: Date = Date()) throws -> Report {
        let fields = manifest.page?.fields ?? ["name", "email"]
        let required = Set(manifest.page?.required ?? ["name", "email"])
        let reader: CSVReader
        do { reader = try CSVReader(path: file) } catch { throw CampaignFailure(diagnostics: [CampaignDiagnostic(error)]) }
        var report = Report()
        let missing = ["name", "email"].filter { !reader.header.contains($0) } + required.sorted().filter { !["name", "email"].contains($0) && !reader.header.contains($0) }
        guard missing.isEmpty else {
            throw CampaignFailure(diagnostics: [CampaignDiagnostic(path: file, line: 1, message: "the file has no \(missing.map { "'\($0)'" }.joined(separator: ", ")) column; the first row must name the columns, with at least name and email (the page's fields: \(fields.joined(separator: ", ")))")])
        }
        report.ignoredColumns = reader.header.filter { !fields.contains($0) }
        let columnNumbers = Dictionary(reader.header.enumerated().map { ($0.element, $0.offset + 1) }, uniquingKeysWith: { first, _ in first })
        var refusedFile: RefusedRows? = nil
        if let refused { refusedFile = try RefusedRows(path: refused, header: reader.header) }
        return try store.importSignatures(campaign: manifest.name, source: source, now: now) { importer in
            while true {
                let record: CSVRecord
                do throws(DataError) {
                    guard let next = try reader.next() else { break }
                    record = next
                } catch {
                    report.errors.append(CampaignDiagnostic(error))
                    return (false, report)
                }
                let row = reader.object(record)
                var kept: [String: String] = [:]
                var problems: [(column: String, problem: SignerFieldRule.Problem)] = []
                for name in fields {
                    let (value, problem) = SignerFieldRule.check(name, row[name] ?? "", required: required.contains(name), smtputf8: manifest.smtputf8)
                    kept[name] = value
                    if let problem { problems.append((name, problem)) }
                }
                guard problems.isEmpty else {
                    report.refused += 1
                    let rowNumber = report.added + report.duplicates + report.refused
                    let diagnostics = problems.map { column, problem in
                        CampaignDiagnostic(path: file, line: record.line,
                                           message: "row \(rowNumber), column \(columnNumbers[column].map(String.init) ?? "?") ('\(column)'): the \(column) '\(row[column] ?? "")' \(problem.sentence); correct the row, delete it, or give --skip-invalid FILE to store the others")
                    }
                    if report.errors.count < Self.shownErrors { report.errors += diagnostics.prefix(Self.shownErrors - report.errors.count) }
                    try refusedFile?.write(record, line: record.line, reasons: problems.map { "\($0.column): \($0.problem.sentence)" })
                    continue
                }
                if try importer.add(kept) { report.added += 1 } else { report.duplicates += 1 }
            }
            try refusedFile?.finish()
            report.stored = report.refused == 0 || refused != nil
            return (report.stored, report)
        }
    }
}

/// The rows an import refused, as CSV: the row's own cells, then its line in the file
/// and what is wrong, so they can be corrected and imported again.
struct RefusedRows {
    let path: String
    private let handle: FileHandle
    private var buffer = ""

    init(path: String, header: [String]) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CampaignFailure(diagnostics: [CampaignDiagnostic(path: path, message: "cannot create the file for refused rows; give --skip-invalid a path in a folder you can write to")])
        }
        self.handle = handle
        buffer = (header + ["line", "reason"]).map(CSVField.quoted).joined(separator: ",") + "\r\n"
    }

    mutating func write(_ record: CSVRecord, line: Int, reasons: [String]) throws {
        buffer += (record.fields + [String(line), reasons.joined(separator: "; ")]).map(CSVField.quoted).joined(separator: ",") + "\r\n"
        if buffer.utf8.count > 1 << 16 { try flush() }
    }

    mutating func finish() throws {
        try flush()
        try handle.synchronize()
        try handle.close()
    }

    private mutating func flush() throws {
        try handle.write(contentsOf: Data(buffer.utf8))
        buffer = ""
    }
}
