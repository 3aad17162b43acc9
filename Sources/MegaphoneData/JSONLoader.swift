public import MegaphoneValue

/// Loads JSON data files into `Value`s, with errors that name file, line and column.
public enum JSONLoader {
    /// Parses the JSON file at `path`. Its text lands in letters, so a control
    /// character other than tab and line breaks is an error at the text holding it.
    public static func load(_ path: String) throws(DataError) -> Value {
        let bytes = try DataFile.read(path)
        do {
            return try JSONParser.parse(bytes, forbiddingControls: true)
        } catch {
            throw DataError(path: path, line: error.line, column: error.column, message: error.message)
        }
    }

    /// Loads several JSON files and merges them into one object; later files' keys win.
    public static func loadMerged(_ paths: [String]) throws(DataError) -> Value {
        var merged = Value.object([:])
        for path in paths {
            let value = try load(path)
            guard case .object = value else {
                throw DataError(path: path, line: 1, column: 1,
                                message: "the data must be a JSON object ({ \"name\": … }), but this file holds \(value.kindName)")
            }
            merged = merged.merging(value)
        }
        return merged
    }
}
