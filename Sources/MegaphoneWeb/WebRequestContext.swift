public import Hummingbird
import NIOCore

/// Per-request state: the client's address (for the per-IP limit) and the upload
/// limit (16 KB: a signature is a few hundred bytes).
public struct WebRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    public var maxUploadSize: Int { WebSettings.maxBody }

    /// The client's IP address as text ("" when unknown, as in route tests).
    var clientIP: String { remoteAddress?.ipAddress ?? "" }
}
