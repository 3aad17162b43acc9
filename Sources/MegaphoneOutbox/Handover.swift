public import MegaphoneDelivery

/// What became of one hand-over, as its journal now records it.
public enum Handover: Sendable {
    /// Accepted (250 to the final dot); `refused` lists recipients the server refused.
    case sent
    /// Refused for good (5xx): not tried again.
    case failed(reason: String)
    /// The whole message went out and no reply came.
    case uncertain
    /// A temporary failure (4xx, or abandoned before its final dot).
    case deferred(reason: String)
    /// The connection (or outbox) cannot deliver at all: nothing was delivered.
    case unavailable(DeliveryError)
}
