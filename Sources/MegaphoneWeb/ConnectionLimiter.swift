import Foundation
import NIOCore

/// Counts open connections, in all and per client address, shared by every event loop
/// (lock-protected). A connection over either cap is refused at once rather than left
/// to starve everyone of file descriptors.
final class ConnectionLimiter: @unchecked Sendable {
    /// Why a connection was refused.
    enum Refusal: Equatable {
        case serverFull, clientFull
    }

    private let limits: ServerLimits
    private let lock = NSLock()
    private var total = 0
    private var perClient: [ClientKey: Int] = [:]
    private var lingering = 0

    init(_ limits: ServerLimits) {
        self.limits = limits
    }

    /// Counts the connection in, or says why not; each admitted one must be `release`d once.
    func admit(_ client: ClientKey) -> Refusal? {
        lock.lock()
        defer { lock.unlock() }
        guard total < limits.maxConnections else { return .serverFull }
        let held = perClient[client, default: 0]
        if limits.maxPerClient > 0, held >= limits.maxPerClient { return .clientFull }
        total += 1
        perClient[client] = held + 1
        return nil
    }

    /// The connection admitted for `client` has closed.
    func release(_ client: ClientKey) {
        lock.lock()
        defer { lock.unlock() }
        total -= 1
        let held = perClient[client, default: 1] - 1
        perClient[client] = held > 0 ? held : nil
    }

    /// Whether a refused connection may stay open a moment after its 503 so the client
    /// reads it (closing with the request unread would reset the connection and lose the
    /// answer); false when many already are, so refused connections cannot use up the
    /// descriptors kept in reserve. Each `true` must be followed by `endLinger()`.
    func beginLinger() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard lingering < ServerLimits.reservedDescriptors / 2 else { return false }
        lingering += 1
        return true
    }

    func endLinger() {
        lock.lock()
        defer { lock.unlock() }
        lingering -= 1
    }

    /// Connections open now (for tests and diagnostics).
    var openConnections: Int {
        lock.lock()
        defer { lock.unlock() }
        return total
    }
}
