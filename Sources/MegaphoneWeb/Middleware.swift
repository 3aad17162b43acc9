import Foundation
import Hummingbird
import Logging

/// One log line per request: method, path as the route table shows it (tokens, and
/// whatever else a client typed, hidden), status, milliseconds.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext
    let logger: Logger
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - start
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            logger.info("\(request.method.rawValue) \(routes.logged(request.uri.path)) \(status) \(String(format: "%.1f", ms))ms")
        }
        let response = try await next(request, context)
        status = response.status.code
        return response
    }
}

/// The security headers (`SecurityHeaders`) on every answer, with the campaign's
/// `embed_from` origins allowed to frame its pages.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext
    let headers: SecurityHeaders
    let embedding: [String: [String]]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let first = request.uri.path.split(separator: "/").first.map(String.init) ?? ""
        for field in headers.fields(embedders: embedding[first] ?? []) {
            if let name = HTTPFields.Element.Name(field.name) { response.headers[name] = field.value }
        }
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
            var response = errorPage(error)
            // Such as the Allow header of a 405.
            if let error = error as? HTTPError { response.headers.append(contentsOf: error.headers) }
            return response
        } catch {
            context.logger.error("request failed: \(error)")
            return page(.internalServerError, heading: text("error_server_heading"), text("error_server_text"))
        }
    }

    private func errorPage(_ error: any HTTPResponseError) -> Response {
        switch error.status {
        case .notFound: return page(.notFound, heading: text("not_found_heading"), text("error_not_found_text"))
        case .contentTooLarge: return page(.contentTooLarge, heading: text("error_too_large_heading"), text("error_too_large_text"))
        case .methodNotAllowed: return page(.methodNotAllowed, heading: text("error_not_allowed_heading"), text("error_not_allowed_text"))
        default: return page(error.status, heading: text("error_heading"), text("error_text"))
        }
    }

    /// A sentence in the pages' language (English when no campaign's pages were loaded).
    private func text(_ key: String) -> String { (pages ?? PageRenderer.english)?.text(key) ?? key }

    private func page(_ status: HTTPResponse.Status, heading: String, _ text: String, back: String? = nil) -> Response {
        let html = pages?.message(title: heading, heading: heading, paragraphs: [text], back: back)
            ?? "<!doctype html><title>Error</title><p>Error</p>"
        return HTML.response(html, status: status, privateToken: true)
    }
}
