/// How long a client may take and how many connections it may hold: what keeps one
/// slow or greedy client from stalling the server for everyone (`serve --header-timeout`,
/// `--body-timeout`, `--idle-timeout`, `--max-connections`, `--max-per-client`).
public struct ServerLimits: Sendable, Equatable {
    /// From the connection's start, or the first byte of a later request, until the
    /// request's head (request line and headers) is complete. A phone on a poor network
    /// sends a head of a few hundred bytes in well under this.
    public var headerTimeout: Duration = .seconds(30)
    /// From the complete head until the end of the body (a form is at most 16 KB).
    public var bodyTimeout: Duration = .seconds(60)
    /// How long a kept-alive connection may wait, after an answer, for the next request.
    /// Longer than browsers' own keep-alive (Chrome and Firefox close after about 60 s
    /// of quiet), so the browser, not the server, usually ends the connection.
    public var idleTimeout: Duration = .seconds(75)
    /// Connections held at once by everyone; never more than the file-descriptor limit
    /// allows (see `capped(byFileDescriptors:)`).
    public var maxConnections = 10_000
    /// Connections held at once by one client address (an IPv6 client by its /64), 0 for
    /// no cap. Many phones share one carrier-NAT address, and a browser opens up to six.
    public var maxPerClient = 256

    /// File descriptors kept free for the stores, logs, outbox and accepted sockets in flight.
    public static let reservedDescriptors = 128

    public init() {}

    /// `maxConnections`, lowered so that connections cannot use up the process's
    /// file descriptors (the soft `RLIMIT_NOFILE`, `limit`).
    public func capped(byFileDescriptors limit: Int) -> ServerLimits {
        var limits = self
        limits.maxConnections = max(1, min(maxConnections, limit - Self.reservedDescriptors))
        return limits
    }
}
