/// A signature store that cannot be opened or written, with the file and what to do.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable {
        /// The file or its folder does not exist (sysexits 66).
        case missing
        /// It cannot be created or written (sysexits 73).
        case cannotCreate
        /// It is not a signature store, or is damaged (sysexits 65).
        case damaged
    }

    public let code: Code
    public let path: String
    public let message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): error: \(message)" }
}
