import Foundation
import MegaphoneFiles
import Synchronization

/// Delivers messages into a Maildir (`tmp/`, `new/`, `cur/`): each is written whole
/// under `tmp/` and renamed into `new/`, so a reader never sees half a message.
public final class MaildirWriter {
    public let path: String
    private let hostname: String
    private var staged: [(tmp: String, new: String)] = []
    /// One sequence for the whole process: `send` runs a writer per connection, and two
    /// writers counting apart made the same name in the same microsecond (one letter
    /// overwrote another, or its rename failed).
    private static let sequence = Mutex(0)

    /// Creates the Maildir's folders if needed.
    public init(path: String) throws(OutputError) {
        self.path = path
        for folder in ["tmp", "new", "cur"] { try FileWriting.makeFolder("\(path)/\(folder)") }
        hostname = ProcessInfo.processInfo.hostName.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ":", with: "_")
    }

    private func uniqueName(_ number: Int) -> String {
        let sequence = Self.sequence.withLock { value in
            value += 1
            return value
        }
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

    /// Delivers under a name the caller derives from the message itself, so that
    /// delivering the same message again (after a crash between delivery and its
    /// log record) leaves one copy: an existing copy in `new/` or `cur/` is kept.
    @discardableResult
    public func deliver(_ bytes: [UInt8], stableName name: String) throws(OutputError) -> String {
        try deliver(batch: [(bytes, name)])[0]
    }

    /// Delivers several content-named messages (as `deliver(_:stableName:)` does each),
    /// synced together: all are written under `tmp/`, then synced, then moved into
    /// `new/`, which is synced once. Returns each one's path.
    public func deliver(batch: [(bytes: [UInt8], name: String)]) throws(OutputError) -> [String] {
        var paths: [String] = []
        var written: [(tmp: String, new: String, descriptor: Int32)] = []
        defer { for file in written where file.descriptor >= 0 { close(file.descriptor) } }
        for (bytes, name) in batch {
            if let existing = existingCopy(name) {
                paths.append(existing)
                continue
            }
            let tmp = "\(path)/tmp/\(name).\(getpid())"
            let descriptor = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw OutputError(path: tmp, reason: String(cString: strerror(errno))) }
            written.append((tmp, "\(path)/new/\(name)", descriptor))
            do { try DurableWrite.writeAll(bytes, to: descriptor) } catch { throw OutputError(path: tmp, reason: error.reason) }
            paths.append("\(path)/new/\(name)")
        }
        for file in written {
            do { try DurableWrite.sync(file.descriptor) } catch { throw OutputError(path: file.tmp, reason: error.reason) }
        }
        for file in written { try FileWriting.rename(file.tmp, to: file.new) }
        if !written.isEmpty { try FileWriting.syncFolder("\(path)/new") }
        return paths
    }

    /// A copy already delivered under `name`, in `new/` or (read, with flags) in `cur/`.
    private func existingCopy(_ name: String) -> String? {
        let new = "\(path)/new/\(name)"
        if FileManager.default.fileExists(atPath: new) { return new }
        if FileManager.default.fileExists(atPath: "\(path)/cur/\(name)") { return "\(path)/cur/\(name)" }
        if let read = try? FileManager.default.contentsOfDirectory(atPath: "\(path)/cur"), let found = read.first(where: { $0.hasPrefix(name + ":") }) {
            return "\(path)/cur/\(found)"
        }
        return nil
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
