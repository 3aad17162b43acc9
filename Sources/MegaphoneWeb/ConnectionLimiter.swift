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

/// Who a connection counts against: an IPv4 address, or an IPv6 client's /64 network
/// (one subscriber is given a whole /64, so its single addresses are free to it).
struct ClientKey: Hashable, Sendable {
    let bytes: [UInt8]

    init(_ address: SocketAddress?) {
        switch address {
        case .v4(let v4):
            bytes = withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            let all = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            // An IPv4 client reaching an IPv6 socket (::ffff:a.b.c.d) counts as that IPv4 address.
            if all[0..<10].allSatisfy({ $0 == 0 }), all[10] == 0xFF, all[11] == 0xFF {
                bytes = Array(all[12..<16])
            } else {
                bytes = Array(all[0..<8])
            }
        default:
            bytes = []
        }
    }
}
