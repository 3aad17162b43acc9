public import Foundation

/// Runs Debian's Python 3 (where `python3-*` packages install) as an independent
/// party in a test: sqlite3 behind the store's back, the stdlib's email and csv
/// parsers, `getrusage` for a child's memory.
public enum Python {
    /// Runs `python3 ARGUMENTS` in `folder`; returns its exit status and standard output
    /// (its standard error goes to the test's).
    public static func run(_ arguments: [String], in folder: URL? = nil) throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PythonEmail.python)
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }
}
