public import MegaphoneDelivery

/// How mail is delivered, whoever sends it (`send`'s workers, the server's signer
/// mail): where it goes, whether every message goes to one test address instead,
/// how temporary failures are retried, and how many couriers work at once.
public struct DeliverySettings: Sendable {
    public var target: OutboxTarget
    /// Send every message to this one address instead (a test run of a real campaign).
    public var redirectTo: String?
    public var retry = RetryPolicy()
    /// Couriers, each with its own connection.
    public var connections = 2

    public init(target: OutboxTarget) {
        self.target = target
    }
}
