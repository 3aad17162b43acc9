/// One data row of a CSV file, with the line it starts on.
public struct CSVRecord: Sendable {
    /// The 1-based line of the file where the row starts (rows can span lines).
    public let line: Int
    /// The fields, in column order.
    public let fields: [String]
}
