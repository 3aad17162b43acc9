import Foundation

/// Delivers messages into a Maildir (`tmp/`, `new/`, `cur/`): each is written whole
/// under `tmp/` and renamed into `new/`, so a reader never sees half a message.
public final class MaildirWriter {
    public let path: String
    private let hostname: String
    private var staged: [(tmp: String, new: String)] = []
    private var sequence = 0

    /// Creates the Maildir's folders if needed.
    public init(path: String) throws(OutputError) {
        self.path = path
        for folder in ["tmp", "new", "cur"] { try FileWriting.makeFolder("\(path)/\(folder)") }
        hostname = ProcessInfo.processInfo.hostName.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ":", with: "_")
    }

    private func uniqueName(_ number: Int) -> String {
        sequence += 1
        let now = Date().timeIntervalSince1970
        return "\(Int(now)).M\(Int((now - now.rounded(.down)) * 1_000_000))P\(getpid())Q\(sequence)N\(number).\(hostname)"
    }

    /// Writes a message under `tmp/` and moves it into `new/` at once; returns its path in `new/`.
    @discardableResult
    public func deliver(_ bytes: [UInt8], number: Int) throws(OutputError) -> String {
        let name = uniqueName(number)
        let tmp = "\(path)/tmp/\(name)"
        try FileWriting.write(bytes, to: tmp, sync: true)
        let new = "\(path)/new/\(name)"
        try FileWriting.rename(tmp, to: new)
        return new
    }

    /// Writes a message under `tmp/` only; `commit()` moves every staged message into `new/`.
    public func stage(_ bytes: [UInt8], number: Int) throws(OutputError) {
        let name = uniqueName(number)
        let tmp = "\(path)/tmp/\(name)"
        try FileWriting.write(bytes, to: tmp)
        staged.append((tmp, "\(path)/new/\(name)"))
    }

    public func commit() throws(OutputError) {
        for file in staged { try FileWriting.rename(file.tmp, to: file.new) }
        staged = []
    }

    /// Removes staged messages (after an error, nothing is delivered).
    public func abort() {
        for file in staged { try? FileManager.default.removeItem(atPath: file.tmp) }
        staged = []
    }
}
