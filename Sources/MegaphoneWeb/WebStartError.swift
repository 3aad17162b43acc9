public import MegaphoneLog
public import MegaphoneSignatures

/// Why the server cannot start, in the server's terms (the command line maps it to
/// an exit status): the message says what to fix.
public struct WebStartError: Error, Sendable, CustomStringConvertible {
    public enum Cause: Sendable {
        /// A campaign cannot be served as written (no page, no store, a bad page file).
        case campaign
        /// The server's settings contradict a campaign (its `base_url`).
        case settings
        /// Two served campaigns share a name.
        case duplicateName
        /// A signature store cannot be opened or created.
        case store(StoreError)
        /// A send log cannot be opened, or another sender holds it.
        case log(LogError)
        /// The outbox Maildir cannot be created.
        case outbox
        /// The address to listen on is taken.
        case addressInUse
    }

    public let cause: Cause
    public let message: String

    public init(_ cause: Cause, _ message: String) {
        self.cause = cause
        self.message = message
    }

    public var description: String { message }
}
