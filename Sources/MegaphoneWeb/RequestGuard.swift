import Foundation
import NIOCore
import NIOHTTP1

/// One connection's guard, between the HTTP/1 parser and the application: the header,
/// body and idle timeouts; `Host` as RFC 9112 §3.2 requires; `Expect: 100-continue`;
/// and the answer to a request the parser cannot read. Its own answers (400, 408, 413)
/// carry the security headers and a short text, and close the connection.
final class RequestGuard: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Phase {
        /// Between requests: nothing of the next one has arrived (the idle timeout runs
        /// once every answer is written).
        case waiting
        /// Reading a request's head (the header timeout runs).
        case head
        /// Reading a request's body (the body timeout runs).
        case body
        /// Answered with the guard's own error; what else arrives is dropped.
        case rejected
    }

    private let limits: ServerLimits
    private let headers: SecurityHeaders
    private var phase = Phase.head
    /// Requests passed on whose answer has not been written to the end.
    private var unanswered = 0
    private var timer: Scheduled<Void>?
    /// An error answer waiting for the answers before it (pipelined requests) to finish.
    private var pendingRejection: (HTTPResponseStatus, String)?
    /// A `100 Continue` owed to the request being read, sent once earlier answers are written.
    private var continueOwed = false
    private var started = false
    /// Whether any of the head being waited for has arrived (a connection that sent
    /// nothing, such as a browser's preconnect, is closed without an answer).
    private var headBegun = false

    private let texts: GuardTexts

    init(limits: ServerLimits, headers: SecurityHeaders, texts: GuardTexts) {
        self.texts = texts
        self.limits = limits
        self.headers = headers
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    /// The header timeout runs from the connection's start.
    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        phase = .head
        arm(context, limits.headerTimeout, .header)
    }

    /// Bytes reached the connection (told by `ByteArrival`, before the parser reads them):
    /// the first byte of a new request starts its header timeout.
    func bytesArrived(_ context: ChannelHandlerContext) {
        if phase == .waiting {
            phase = .head
            arm(context, limits.headerTimeout, .header)
        }
        if phase == .head { headBegun = true }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch (phase, part) {
        case (.rejected, _):
            return
        case (_, .head(let head)):
            if let problem = Self.hostProblem(head, texts: texts) {
                reject(context, .badRequest, problem)
                return
            }
            headBegun = false
            let expectsContinue = Self.isHTTP11OrLater(head.version)
                && head.headers["expect"].contains { $0.lowercased() == "100-continue" }
            if expectsContinue, let length = head.headers["content-length"].first.flatMap({ Int($0) }), length > WebSettings.maxBody {
                reject(context, .payloadTooLarge, texts.tooLarge)
                return
            }
            phase = .body
            unanswered += 1
            continueOwed = expectsContinue
            arm(context, limits.bodyTimeout, .body)
            context.fireChannelRead(data)
            sendContinueIfDue(context)
        case (_, .body):
            context.fireChannelRead(data)
        case (_, .end):
            phase = .waiting
            continueOwed = false
            disarm()
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        guard case .end = unwrapOutboundIn(data) else { return }
        unanswered -= 1
        if unanswered == 0, let (status, text) = pendingRejection {
            pendingRejection = nil
            answerAndClose(context, status, text)
        } else if unanswered == 0, phase == .waiting {
            arm(context, limits.idleTimeout, .idle)
        } else {
            sendContinueIfDue(context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        if phase == .body {
            // The body of a request being answered cannot be read: no answer can follow it.
            context.close(promise: nil)
        } else {
            reject(context, .badRequest, texts.badRequest)
        }
    }

    /// What is wrong with the request's `Host` headers, or nil: HTTP/1.1 needs exactly one,
    /// HTTP/1.0 at most one (RFC 9112 §3.2).
    static func hostProblem(_ head: HTTPRequestHead, texts: GuardTexts) -> String? {
        let hosts = head.headers["host"].count
        if hosts > 1 { return texts.manyHosts.replacingOccurrences(of: "{{count}}", with: String(hosts)) }
        if hosts == 0, isHTTP11OrLater(head.version) { return texts.noHost }
        return nil
    }

    static func isHTTP11OrLater(_ version: HTTPVersion) -> Bool {
        version.major > 1 || (version.major == 1 && version.minor >= 1)
    }

    // MARK: Answers of the guard's own

    private func sendContinueIfDue(_ context: ChannelHandlerContext) {
        // Only once the earlier answers are written: a 100 must not land inside one of them.
        guard continueOwed, unanswered == 1 else { return }
        continueOwed = false
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .continue))), promise: nil)
    }

    private func reject(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ text: String) {
        phase = .rejected
        disarm()
        if unanswered == 0 {
            answerAndClose(context, status, text)
        } else {
            pendingRejection = (status, text)
        }
    }

    private func answerAndClose(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ text: String) {
        let body = ByteBuffer(string: text + "\n")
        var fields = HTTPHeaders(headers.fields().map { ($0.name, $0.value) })
        fields.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        fields.add(name: "Content-Length", value: String(body.readableBytes))
        fields.add(name: "Cache-Control", value: "no-store")
        fields.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    // MARK: Timeouts

    private enum Timeout { case header, body, idle }

    private func arm(_ context: ChannelHandlerContext, _ duration: Duration, _ kind: Timeout) {
        timer?.cancel()
        let loop = context.eventLoop.assumeIsolated()
        timer = loop.scheduleTask(in: TimeAmount(duration)) { [self] in
            timer = nil
            expired(context, kind)
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }

    private func expired(_ context: ChannelHandlerContext, _ kind: Timeout) {
        switch kind {
        case .header where unanswered == 0 && headBegun:
            reject(context, .requestTimeout, texts.timeout)
        case .header, .body, .idle:
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension RequestGuard: Sendable {}

/// Tells the connection's `RequestGuard` when bytes arrive, before the parser reads them
/// (the parser says nothing until a whole head is in).
final class ByteArrival: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let requestGuard: RequestGuard
    /// The guard's own context, for its timer.
    private var guardContext: ChannelHandlerContext?

    init(_ requestGuard: RequestGuard) {
        self.requestGuard = requestGuard
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if guardContext == nil {
            guardContext = try? context.pipeline.syncOperations.context(handler: requestGuard)
        }
        if let guardContext { requestGuard.bytesArrived(guardContext) }
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension ByteArrival: Sendable {}
