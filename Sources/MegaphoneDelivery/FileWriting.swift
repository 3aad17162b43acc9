import Foundation
import MegaphoneFiles

/// Small file operations with errors that name the path: create folders, write a
/// file whole (to a temporary name, then renamed), rename.
enum FileWriting {
    static func makeFolder(_ path: String) throws(OutputError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: path, reason: reason(error))
        }
    }

    static func write(_ bytes: [UInt8], to path: String, sync: Bool = false) throws(OutputError) {
        guard let handle = FileHandle(forWritingAtPath: path) ?? create(path) else {
            throw OutputError(path: path, reason: String(cString: strerror(errno)))
        }
        do {
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: bytes)
            if sync { try handle.synchronize() }
            try handle.close()
        } catch {
            try? handle.close()
            throw OutputError(path: path, reason: reason(error))
        }
    }

    private static func create(_ path: String) -> FileHandle? {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { return nil }
        return FileHandle(forWritingAtPath: path)
    }

    static func rename(_ from: String, to: String) throws(OutputError) {
        guard Foundation.rename(from, to) == 0 else {
            throw OutputError(path: to, reason: String(cString: strerror(errno)))
        }
    }

    /// Makes the names in a folder (a rename into it) durable.
    static func syncFolder(_ path: String) throws(OutputError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw OutputError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        do { try DurableWrite.sync(descriptor) } catch { throw OutputError(path: path, reason: error.reason) }
    }

    static func reason(_ error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}
