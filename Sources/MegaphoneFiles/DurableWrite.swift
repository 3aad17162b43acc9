import Foundation

/// Writes to a file descriptor whole and durably: every byte (retrying on EINTR and
/// short writes), then fsync (retried on EINTR), each failure reported — the one
/// place Megaphone's append-only files (send log, spool, suppression list, bounces
/// read, campaign secret) are written to disk.
public enum DurableWrite {
    /// Writes every byte of `bytes`.
    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(FileWriteError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw FileWriteError(.write, errno: errno)
            }
            offset += written
        }
    }

    /// Waits until what was written is on disk.
    public static func sync(_ descriptor: Int32) throws(FileWriteError) {
        while fsync(descriptor) != 0 {
            if errno == EINTR { continue }
            throw FileWriteError(.sync, errno: errno)
        }
    }

    /// Writes every byte, then syncs.
    public static func append(_ bytes: [UInt8], to descriptor: Int32) throws(FileWriteError) {
        try writeAll(bytes, to: descriptor)
        try sync(descriptor)
    }
}

/// A write or sync that failed, with the system's reason; callers name the file.
public struct FileWriteError: Error, Sendable, CustomStringConvertible {
    public enum Step: Sendable { case write, sync }

    public let step: Step
    public let reason: String

    public init(_ step: Step, errno code: Int32) {
        self.step = step
        reason = String(cString: strerror(code))
    }

    public var description: String { reason }
}
