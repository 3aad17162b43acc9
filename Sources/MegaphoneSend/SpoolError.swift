/// The spool cannot be written, or what was read back is not what was written.
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// Creating or writing it failed (disk full, no permission): exit 73.
        case unwritable
        /// What was read back is cut short or differs from what was checked: exit 75, run again.
        case damaged
    }

    public let kind: Kind
    public let path: String
    public let reason: String

    public init(_ kind: Kind, path: String, reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    public var description: String {
        switch kind {
        case .unwritable:
            return "\(path): cannot write the spool (\(reason)); free some disk space or make the folder writable, then run again"
        case .damaged:
            return "\(path): the spool is damaged (\(reason)); nothing more was sent from it. Run send again: it checks the campaign and writes a new spool"
        }
    }
}
