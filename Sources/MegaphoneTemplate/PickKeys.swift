/// What `| pick` keys its choice on, given by whoever renders: the message's own key,
/// and its signer's and recipient's where there are such. The same keys choose the
/// same items on every run. A plain struct: one is made for every message.
public struct PickKeys: Sendable {
    public var message: String?
    public var signer: String?
    public var recipient: String?

    public init(message: String? = nil, signer: String? = nil, recipient: String? = nil) {
        self.message = message
        self.signer = signer
        self.recipient = recipient
    }

    /// The key for `pick: "scope"`; with no message key given (`template render`, a
    /// page), "message" picks as for an empty key.
    subscript(scope: String) -> String? {
        switch scope {
        case "message": message ?? ""
        case "signer": signer
        case "recipient": recipient
        default: nil
        }
    }
}
