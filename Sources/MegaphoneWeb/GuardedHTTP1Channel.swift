import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 connection with Megaphone's guards: each accepted connection is
/// counted against the connection caps (over a cap: a short 503 and closed at once), and
/// a `RequestGuard` between the parser and the application keeps the timeouts and the
/// rules of RFC 9112 that the parser leaves to the server.
struct GuardedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let limits: ServerLimits
    let limiter: ConnectionLimiter
    let headers: SecurityHeaders
    let texts: GuardTexts

    /// The server builder for `Application(server:)`.
    static func builder(limits: ServerLimits, limiter: ConnectionLimiter, headers: SecurityHeaders, texts: GuardTexts) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GuardedHTTP1Channel(responder: responder, limits: limits, limiter: limiter, headers: headers, texts: texts)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let client = ClientKey(channel.remoteAddress)
            let pipeline = channel.pipeline.syncOperations
            if let refusal = limiter.admit(client) {
                // The channel must still be set up (a failed setup would leak the socket); it
                // answers and closes as soon as it is active, and reads nothing.
                try pipeline.addHandler(RefusedConnection(refusal, headers: headers, limiter: limiter, texts: texts))
            } else {
                let limiter = self.limiter
                channel.closeFuture.whenComplete { _ in limiter.release(client) }
                let requestGuard = RequestGuard(limits: limits, headers: headers, texts: texts)
                try pipeline.addHandler(ByteArrival(requestGuard))
                try pipeline.configureHTTPServerPipeline(
                    withPipeliningAssistance: false,   // requests are taken one at a time by NIOAsyncChannel
                    withErrorHandling: false,          // parse errors are answered by the RequestGuard
                    withOutboundHeaderValidation: false,
                    withEncoderConfiguration: .init(),
                    withDecoderLimitConfiguration: .init())
                try pipeline.addHandler(requestGuard)
                try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                // Its idle timeout is off (the RequestGuard keeps the timeouts); it still closes
                // idle connections when the server shuts down gracefully.
                try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            }
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

/// A connection over a cap: a 503 that says why, then closed. What the client sends is
/// discarded; the connection lingers at most a second, half-closed, so that a request
/// already sent does not turn the close into a reset that loses the answer.
final class RefusedConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let text: String
    private let headers: SecurityHeaders
    private let limiter: ConnectionLimiter
    private var answered = false

    init(_ refusal: ConnectionLimiter.Refusal, headers: SecurityHeaders, limiter: ConnectionLimiter, texts: GuardTexts) {
        text = switch refusal {
        case .serverFull: texts.serverFull
        case .clientFull: texts.clientFull
        }
        self.headers = headers
        self.limiter = limiter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { answer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        answer(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The client has sent all it will: the lingering is over.
        if case .some(.inputClosed) = event as? ChannelEvent { context.close(promise: nil) }
    }

    private func answer(_ context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        let body = text + "\n"
        var head = "HTTP/1.1 503 Service Unavailable\r\n"
        for field in headers.fields() { head += "\(field.name): \(field.value)\r\n" }
        head += "Content-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nRetry-After: 60\r\nConnection: close\r\n\r\n"
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(NIOAny(ByteBuffer(string: head + body)), promise: written)
        written.futureResult.assumeIsolated().whenComplete { [limiter] _ in
            guard limiter.beginLinger() else {
                context.close(promise: nil)
                return
            }
            context.channel.closeFuture.whenComplete { _ in limiter.endLinger() }
            context.close(mode: .output, promise: nil)
            context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) { context.close(promise: nil) }
        }
    }
}

@available(*, unavailable)
extension RefusedConnection: Sendable {}
