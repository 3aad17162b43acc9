import Foundation

/// Writes one `.eml` file per message (`00001-slug.eml`) into a folder. Files are
/// written in a hidden staging folder and moved into place when committed.
public final class EMLDirectoryWriter {
    public let path: String
    private let staging: String
    private var staged: [String] = []

    public init(path: String) throws(OutputError) {
        self.path = path
        staging = "\(path)/.megaphone-staging-\(getpid())"
        try FileWriting.makeFolder(staging)
    }

    /// The file name for a message: its number (five digits) and the recipient's slug.
    public static func fileName(number: Int, slug: String) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 5 - digits.count)) + digits + "-" + slug + ".eml"
    }

    public func write(_ bytes: [UInt8], number: Int, slug: String) throws(OutputError) {
        let name = Self.fileName(number: number, slug: slug)
        try FileWriting.write(bytes, to: "\(staging)/\(name)")
        staged.append(name)
    }

    public func commit() throws(OutputError) {
        for name in staged { try FileWriting.rename("\(staging)/\(name)", to: "\(path)/\(name)") }
        staged = []
        try? FileManager.default.removeItem(atPath: staging)
    }

    public func abort() {
        try? FileManager.default.removeItem(atPath: staging)
        staged = []
    }
}
