import Foundation

/// The text of a partial template and the path to show in its errors.
public struct PartialSource: Sendable {
    public let path: String
    public let text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// Finds partial templates by name for `{{> name}}` and `{{< name}}` tags.
public protocol PartialProvider: Sendable {
    /// The partial's source, or nil when there is none by that name.
    func partial(named name: String) throws -> PartialSource?
    /// Where the provider looked, for the message when a partial is missing.
    func whereLooked(for name: String) -> String
}

/// Partials held in memory, keyed by name (used by tests and the spec suite).
public struct PartialDictionary: PartialProvider {
    public let partials: [String: String]

    public init(_ partials: [String: String]) {
        self.partials = partials
    }

    public func partial(named name: String) -> PartialSource? {
        partials[name].map { PartialSource(path: name, text: $0) }
    }

    public func whereLooked(for name: String) -> String {
        "no partial of that name was given"
    }
}

/// Partials read from files: `name` plus the including template's extension, then
/// `name.mustache`, looked for in each directory in turn.
public struct PartialDirectory: PartialProvider {
    public let directories: [String]
    public let extensions: [String]

    /// - Parameters:
    ///   - directories: folders searched in order (a `--partials` folder, then the template's own).
    ///   - templateExtension: the including template's extension, such as `txt` (may be empty).
    public init(directories: [String], templateExtension: String) {
        self.directories = directories
        var extensions: [String] = []
        if !templateExtension.isEmpty { extensions.append(templateExtension) }
        if templateExtension != "mustache" { extensions.append("mustache") }
        self.extensions = extensions
    }

    private func candidates(for name: String) -> [String] {
        directories.flatMap { directory in
            extensions.map { ext in
                let file = "\(name).\(ext)"
                return directory.isEmpty || directory == "." ? file : (directory.hasSuffix("/") ? directory + file : "\(directory)/\(file)")
            }
        }
    }

    public func partial(named name: String) throws -> PartialSource? {
        // A partial name never climbs out of the folders it is looked for in.
        guard !name.isEmpty, !name.hasPrefix("/"), !name.split(separator: "/").contains("..") else { return nil }
        for path in candidates(for: name) where FileManager.default.fileExists(atPath: path) {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let text = String(data: data, encoding: .utf8) else {
                throw PartialReadError(path: path, reason: "it is not valid UTF-8; save it as UTF-8")
            }
            return PartialSource(path: path, text: text)
        }
        return nil
    }

    public func whereLooked(for name: String) -> String {
        "looked for " + candidates(for: name).joined(separator: ", ")
    }
}

/// A partial file that exists but cannot be used.
public struct PartialReadError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String

    public var description: String { "\(path): \(reason)" }
}
