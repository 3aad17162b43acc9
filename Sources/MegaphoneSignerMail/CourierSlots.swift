import Logging
import MegaphoneDelivery
import MegaphoneOutbox
import Foundation

/// A service's couriers, one per connection, made (and connected) when first
/// needed and dropped when their connection fails. Each slot is used by one
/// thread at a time.
final class CourierSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Courier?]
    let count: Int

    init(count: Int) {
        self.count = count
        slots = Array(repeating: nil, count: count)
    }

    subscript(index: Int) -> Courier? {
        get { lock.withLock { slots[index] } }
        set { lock.withLock { slots[index] = newValue } }
    }

    /// A connected courier for `index`, or nil when it cannot connect now.
    func make(_ index: Int, target: OutboxTarget, logger: Logger? = nil, campaign: String = "") -> Courier? {
        do {
            let courier = try Courier(target: target, stableNames: true)
            try courier.prepare()
            self[index] = courier
            return courier
        } catch {
            logger?.error("signer mail for \(campaign) cannot be delivered now: \(error.message); trying again in 30s")
            return nil
        }
    }

    /// Whether the first courier is (or can be) connected: without it, the pass waits.
    func ready(target: OutboxTarget, logger: Logger, campaign: String) -> Bool {
        self[0] != nil || make(0, target: target, logger: logger, campaign: campaign) != nil
    }
}

/// Each courier's result in one pass.
final class SliceResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [(delivered: [Int64], reconnect: Bool)]

    init(count: Int) {
        results = Array(repeating: ([], false), count: count)
    }

    subscript(index: Int) -> (delivered: [Int64], reconnect: Bool) {
        get { lock.withLock { results[index] } }
        set { lock.withLock { results[index] = newValue } }
    }

    var all: [(delivered: [Int64], reconnect: Bool)] { lock.withLock { results } }
}
