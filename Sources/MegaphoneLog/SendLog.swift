import Foundation
import MegaphoneValue
import MegaphoneFiles

/// The send log: an append-only JSON Lines file, one per campaign. Records are
/// written whole; `append` returns once its record is synced to disk. Senders that
/// want speed use group commit: `submit` returns a ticket at once, a background
/// thread syncs everything written so far with one fsync, and `waitDurable(ticket)`
/// blocks until that record is on disk — so one fsync covers the records of every
/// worker written since the last, and the guarantee is the same.
public final class SendLog: @unchecked Sendable {
    public let path: String
    private let descriptor: Int32
    private let condition = NSCondition()
    private var written: UInt64 = 0
    private var synced: UInt64 = 0
    private var syncError: LogError?
    private var syncerStarted = false
    private var closing = false
    /// The highest record someone waits for: the syncer syncs on demand, so an
    /// outcome written after a 250 rides along with the next attempt's fsync
    /// instead of costing one of its own.
    private var demanded: UInt64 = 0
    /// When the oldest record not yet synced was written: none waits longer than `syncDelay`.
    private var oldestUnsynced: Date?
    /// Whether the syncer is waiting, and whether with nothing to sync: wake-ups go
    /// only where they change something (a broadcast wakes every waiting worker too).
    private var syncerWaiting = false
    private static let syncDelay: TimeInterval = 0.02

    /// Opens (or creates) the log and reads what earlier runs recorded. A torn last
    /// line (a power cut mid-write) is cut off with a warning; any other damage is an error.
    ///
    /// With `lock` (every sender: `send`, `serve`), the log is locked (`flock`) for as
    /// long as it is open, so two senders never interleave records; a second one is
    /// refused with the process that holds it. Readers (`log`) pass `lock: false`.
    public static func open(_ path: String, lock: Bool = true) throws(LogError) -> (SendLog, LogHistory) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            throw LogError(path: path, message: "the folder \(folder) does not exist")
        }
        let descriptor = Foundation.open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw LogError(path: path, message: "cannot open the send log: \(String(cString: strerror(errno)))")
        }
        if lock, flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let holder = LockHolder.describe(descriptor: descriptor)
            Foundation.close(descriptor)
            throw LogError(.inUse, path: path, message: "the send log is in use by \(holder); wait for it to finish, or stop it, then run again")
        }
        let log = SendLog(path: path, descriptor: descriptor)
        let history = try log.readHistory()
        return (log, history)
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close()
        Foundation.close(descriptor)
    }

    private func readHistory() throws(LogError) -> LogHistory {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LogError(path: path, message: "cannot read the send log")
        }
        let bytes = [UInt8](data)
        var history = LogHistory()
        var lineStart = 0
        var lineNumber = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == 10 {
                lineNumber += 1
                let line = Array(bytes[lineStart..<index])
                if !line.isEmpty {
                    guard let value = try? JSONParser.parse(line), let record = SendRecord(value) else {
                        throw LogError(.damaged, path: path, line: lineNumber,
                                       message: "this line of the send log is not a send record; the log is damaged: keep a copy and remove or repair the line")
                    }
                    history.add(record)
                }
                lineStart = index + 1
            }
            index += 1
        }
        if lineStart < bytes.count {
            // A record is written whole, newline last: a line without one was torn by a
            // crash or power cut mid-write. Cut it off so new records start on a fresh line.
            history.warnings.append("\(path):\(lineNumber + 1): warning: the last line was cut short (a crash or power cut while writing); it is ignored")
            guard ftruncate(descriptor, off_t(lineStart)) == 0 else {
                throw LogError(path: path, message: "cannot cut off the torn last line: \(String(cString: strerror(errno)))")
            }
        }
        return history
    }

    /// A record's place in the log, to wait for its durability.
    public struct Ticket: Sendable {
        public let sequence: UInt64

        public init(sequence: UInt64) {
            self.sequence = sequence
        }
    }

    /// Appends one record and returns once it is synced to disk.
    public func append(_ record: SendRecord) throws(LogError) {
        try waitDurable(try submit(record))
    }

    /// Appends one record whole (one write) and returns at once; the background
    /// syncer makes it durable. Use `waitDurable` before relying on it. With
    /// `syncNow`, the syncer starts its fsync at once rather than when the record is
    /// waited for: an `attempt`'s fsync then runs while the SMTP commands before the
    /// message's final dot are exchanged, instead of after them.
    public func submit(_ record: SendRecord, syncNow: Bool = false) throws(LogError) -> Ticket {
        let line = record.jsonLine()
        condition.lock()
        defer { condition.unlock() }
        if let syncError { throw syncError }
        try Self.writeAll(line, to: descriptor, path: path)
        written += 1
        if oldestUnsynced == nil { oldestUnsynced = Date() }
        if !syncerStarted {
            syncerStarted = true
            let thread = Thread { [weak self] in self?.syncLoop() }
            thread.name = "megaphone-log-sync"
            thread.start()
        }
        if syncNow {
            demanded = written
            if syncerWaiting { condition.broadcast() }
        }
        // Otherwise nobody is woken: an idle syncer looks every `syncDelay` anyway.
        return Ticket(sequence: written)
    }

    /// Blocks until the record behind `ticket` (and every one before it) is on disk.
    public func waitDurable(_ ticket: Ticket) throws(LogError) {
        condition.lock()
        defer { condition.unlock() }
        if ticket.sequence > demanded {
            demanded = ticket.sequence
            // A syncer in the middle of an fsync looks at the demand when it is done.
            if syncerWaiting { condition.broadcast() }
        }
        while synced < ticket.sequence {
            if let syncError { throw syncError }
            condition.wait()
        }
    }

    /// Syncs what is written and stops the background syncer.
    public func close() {
        condition.lock()
        closing = true
        condition.broadcast()
        let target = written
        while syncerStarted, synced < target, syncError == nil { condition.wait() }
        condition.unlock()
        // Everything is on disk: another sender may have the log now.
        flock(descriptor, LOCK_UN)
    }

    /// One fsync covers every record written since the last: group commit. It runs
    /// when a record is waited for, when the log closes, or when a record has waited
    /// `syncDelay` unsynced.
    private func syncLoop() {
        condition.lock()
        while true {
            while !closing {
                if synced == written {
                    // Idle: look again after `syncDelay`, so that a record written meanwhile
                    // (an outcome, which wakes nobody) waits at most about that long.
                    syncerWaiting = true
                    _ = condition.wait(until: Date().addingTimeInterval(Self.syncDelay))
                    syncerWaiting = false
                    continue
                }
                if demanded > synced { break }
                let due = (oldestUnsynced ?? Date()).addingTimeInterval(Self.syncDelay)
                if due <= Date() { break }
                syncerWaiting = true
                _ = condition.wait(until: due)
                syncerWaiting = false
            }
            if synced == written, closing { break }
            let target = written
            oldestUnsynced = nil
            condition.unlock()
            var failure: LogError? = nil
            do { try Self.sync(descriptor, path: path) } catch { failure = error }
            condition.lock()
            if let failure {
                syncError = failure
                condition.broadcast()
                break
            }
            synced = target
            condition.broadcast()
        }
        syncerStarted = false
        condition.broadcast()
        condition.unlock()
    }

    /// Writes every byte, retrying on EINTR and short writes.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(LogError) {
        do { try DurableWrite.writeAll(bytes, to: descriptor) } catch {
            throw LogError(path: path, message: "cannot write the send log: \(error.reason)")
        }
    }

    /// fsync, retried on EINTR.
    static func sync(_ descriptor: Int32, path: String) throws(LogError) {
        do { try DurableWrite.sync(descriptor) } catch {
            throw LogError(path: path, message: "cannot sync the send log to disk: \(error.reason)")
        }
    }
}

/// A send log that cannot be opened, read or written.
public struct LogError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem it is, for the exit code.
    public enum Code: Sendable {
        /// The log cannot be created, read, written or synced (sysexits 73).
        case unwritable
        /// A line in the middle is not a send record (sysexits 65).
        case damaged
        /// Another sender holds the log (sysexits 75: try again later).
        case inUse
    }

    public let code: Code
    public let path: String
    public let line: Int?
    public let message: String

    public init(_ code: Code = .unwritable, path: String, line: Int? = nil, message: String) {
        self.code = code
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): error: \(message)" }
}
