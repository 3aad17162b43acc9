import Foundation
public import MegaphoneDelivery

/// Where returned mail is read from. Nothing in it is changed, moved or deleted.
public enum BounceSource: Sendable {
    /// A Maildir: the files in `new/` and `cur/`.
    case maildir(String)
    /// An mbox file (`From ` lines between messages, `>From ` unescaped).
    case mbox(String)
    /// An IMAP mailbox through libcurl (TLS required; messages fetched with BODY.PEEK).
    case imap(IMAPSettings)

    /// Calls `handle` with each message's bytes, oldest first.
    public func forEachMessage(_ handle: ([UInt8]) throws(BounceError) -> Void) throws(BounceError) {
        switch self {
        case .maildir(let path):
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                throw BounceError(.noInput, "\(path): no such Maildir; give the folder that holds new/ and cur/")
            }
            var files: [(name: String, path: String)] = []
            for sub in ["cur", "new"] {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path + "/" + sub)) ?? []
                files += names.filter { !$0.hasPrefix(".") }.map { ($0, path + "/" + sub + "/" + $0) }
            }
            if files.isEmpty, !FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent("new")) {
                throw BounceError(.noInput, "\(path): not a Maildir (it has no new/ folder)")
            }
            // Maildir names start with the delivery time: sorted, they are in arrival order.
            for (_, file) in files.sorted(by: { $0.name < $1.name }) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw BounceError(.noInput, "\(file): cannot be read; check its permissions")
                }
                try handle([UInt8](data))
            }
        case .mbox(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw BounceError(.noInput, "\(path): no such mbox file, or it cannot be read")
            }
            for message in Self.splitMbox([UInt8](data)) { try handle(message) }
        case .imap(let settings):
            do {
                let mailbox = try IMAPMailbox(settings: settings)
                for uid in try mailbox.uids() { try handle(try mailbox.message(uid: uid)) }
            } catch let error as DeliveryError {
                throw BounceError(error.kind == .configuration ? .config : .unavailable, error.message)
            } catch let error as BounceError {
                throw error
            } catch {
                throw BounceError(.unavailable, "\(error)")
            }
        }
    }

    /// The messages of an mbox: a line starting `From ` at the start of the file or
    /// after a blank line begins one; `>From ` lines lose one `>` (mboxrd).
    static func splitMbox(_ bytes: [UInt8]) -> [[UInt8]] {
        var messages: [[UInt8]] = []
        var current: [UInt8]? = nil
        var previousBlank = true
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 10 { end += 1 }
            let line = bytes[start..<min(end + 1, bytes.count)]
            if previousBlank, line.starts(with: Array("From ".utf8)) {
                if let current { messages.append(Self.trimTrailingBlank(current)) }
                current = []
            } else if current != nil {
                var body = line
                if body.starts(with: [62]), body.drop(while: { $0 == 62 }).starts(with: Array("From ".utf8)) { body = body.dropFirst() }
                current?.append(contentsOf: body)
            }
            let content = line.filter { $0 != 10 && $0 != 13 }
            previousBlank = content.isEmpty
            start = end + 1
        }
        if let current { messages.append(Self.trimTrailingBlank(current)) }
        return messages
    }

    private static func trimTrailingBlank(_ message: [UInt8]) -> [UInt8] {
        var message = message
        // The blank line before the next `From ` belongs to the mbox, not the message.
        if message.suffix(2) == [10, 10] { message.removeLast() }
        return message
    }
}

/// Returned mail could not be read or recorded.
public struct BounceError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable {
        /// A file or folder is missing (exit 66).
        case noInput
        /// The mailbox cannot be reached (exit 69).
        case unavailable
        /// Settings are wrong: login, TLS, URL (exit 78).
        case config
        /// The send log or the record of what was read is in use by another command (exit 75).
        case inUse
        /// A file cannot be written (exit 73).
        case cannotCreate
        /// A file holds what it should not (exit 65).
        case data
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
