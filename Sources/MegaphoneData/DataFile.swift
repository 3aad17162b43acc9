import Foundation

/// Reads a data file's bytes, turning a missing or unreadable file into a `DataError`.
enum DataFile {
    @discardableResult
    static func read(_ path: String, checkOnly: Bool = false) throws(DataError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(kind: .missingFile, path: path, message: "no such file; check the path")
        }
        guard !isDirectory.boolValue else {
            throw DataError(kind: .missingFile, path: path, message: "is a folder, not a file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw DataError(kind: .missingFile, path: path, message: "cannot be read; check its permissions")
        }
        if checkOnly { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(kind: .missingFile, path: path, message: "cannot be read; check its permissions")
        }
        return [UInt8](data)
    }
}
