import Foundation

/// What Python's `email` package (policy=default), an independent parser, saw in a message.
public struct ParsedEmail: Decodable, Sendable {
    public let source: String
    public let defects: [String]
    public let bare_line_endings: Bool
    public let longest_line: Int
    public let header_names: [String]
    public let headers: [String: [String]]
    public let addresses: [String: [[String]]]
    public let text: String?
    public let html: String?
    public let attachments: [[String]]
    public let content_type: String

    /// The (display name, address) pairs of an address header.
    public func mailboxes(_ header: String) -> [(name: String, address: String)] {
        (addresses[header] ?? []).map { ($0[0], $0[1]) }
    }
}

/// Runs `Tests/Fixtures/parse_messages.py` with Debian's Python.
public enum PythonEmail {
    public static var python: String {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
    }

    public static let script = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/parse_messages.py").path

    public static func parse(_ arguments: [String]) throws -> [ParsedEmail] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errors = ReadAll(err.fileHandleForReading)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = String(decoding: errors.wait(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw PythonFailure(message: "parse_messages.py failed (\(process.terminationStatus)): \(stderr)")
        }
        return try JSONDecoder().decode([ParsedEmail].self, from: data)
    }

    /// Parses message bytes by writing them to a temporary file first.
    public static func parse(messages: [[UInt8]]) throws -> [ParsedEmail] {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var paths: [String] = []
        for (index, bytes) in messages.enumerated() {
            let url = folder.url.appendingPathComponent("\(index).eml")
            try Data(bytes).write(to: url)
            paths.append(url.path)
        }
        return try parse(paths)
    }
}

public struct PythonFailure: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
