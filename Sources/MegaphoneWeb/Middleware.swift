import Foundation
import Hummingbird
import Logging

/// One log line per request: method, path (tokens hidden), status, milliseconds.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - start
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            logger.info("\(request.method.rawValue) \(Self.redacted(request.uri.path)) \(status) \(String(format: "%.1f", ms))ms")
        }
        let response = try await next(request, context)
        status = response.status.code
        return response
    }

    /// `/confirm/…` and `/withdraw/…` lose their token: logs never hold one.
    static func redacted(_ path: String) -> String {
        for prefix in ["/confirm/", "/withdraw/", "/u/"] where path.hasPrefix(prefix) { return prefix + "<token>" }
        return path
    }
}

/// Headers on every answer: a Content-Security-Policy that allows only this
/// server's own styles and script, no framing unless the campaign names origins
/// that may embed it, no referrer (links carry tokens), no MIME sniffing.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext
    let embedding: [String: [String]]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let first = request.uri.path.split(separator: "/").first.map(String.init) ?? ""
        let origins = embedding[first] ?? []
        let ancestors = origins.isEmpty ? "'none'" : origins.joined(separator: " ")
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors \(ancestors)"
        if origins.isEmpty { response.headers[.init("X-Frame-Options")!] = "DENY" }
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }
}

/// Turns every error into a short HTML page with its status: what went wrong and
/// what to do; never a stack trace, SQL, or the error's internals.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext
    let pages: PageRenderer?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let failure as PageFailure {
            return page(failure.status, heading: failure.heading, failure.text, back: failure.back)
        } catch let error as any HTTPResponseError {
            switch error.status {
            case .notFound: return page(.notFound, heading: "Not found", "There is nothing at this address. Check the link you were given.")
            case .contentTooLarge: return page(.contentTooLarge, heading: "Too large", "The form is larger than 16 KB; shorten what you typed and send it again.")
            case .methodNotAllowed: return page(.methodNotAllowed, heading: "Not allowed", "This address does not take that kind of request; use the page's links and forms.")
            default: return page(error.status, heading: "Something is not right", "The request could not be handled. Go back, reload the page and try again.")
            }
        } catch {
            context.logger.error("request failed: \(error)")
            return page(.internalServerError, heading: "Something went wrong on our side",
                        "Nothing you sent was lost or half-stored. Please try again in a minute.")
        }
    }

    private func page(_ status: HTTPResponse.Status, heading: String, _ text: String, back: String? = nil) -> Response {
        let html = pages?.message(title: heading, heading: heading, paragraphs: [text], back: back)
            ?? "<!doctype html><title>Error</title><p>Error</p>"
        return WebApp.html(html, status: status, privateToken: true)
    }
}
