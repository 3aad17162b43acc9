import Foundation

/// Reads a data file's bytes, turning a missing or unreadable file into a `DataError`.
enum DataFile {
    static func read(_ path: String) throws(DataError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(kind: .missingFile, path: path, message: "no such file; check the path")
        }
        guard !isDirectory.boolValue else {
            throw DataError(kind: .missingFile, path: path, message: "is a folder, not a file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(kind: .missingFile, path: path, message: "cannot be read; check its permissions")
        }
        return [UInt8](data)
    }
}
