/// A problem that stops delivery altogether (not one message): bad configuration,
/// a server that refuses us, TLS that fails; `kind` tells which (the command line maps it to an exit status).
public struct DeliveryError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// Exit 78: our configuration is wrong (credentials, TLS settings, URL).
        case configuration
        /// Exit 69: the server or network refuses service.
        case unavailable
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
