import Hummingbird

/// HTTP's rules about paths and methods that the router leaves open: a HEAD gets GET's
/// answer (status and headers) without the body, and a path with an empty segment
/// (`//confirm/…`, `/NAME//sign`, a trailing slash) is redirected with 308, which keeps
/// the method and body, to the same path without them.
struct HeadAndPathMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response: Response
        if let normalised = Self.normalised(request.uri.path) {
            var headers: HTTPFields = [.location: normalised + (request.uri.query.map { "?" + $0 } ?? "")]
            headers[.cacheControl] = "no-store"   // the address may hold a token
            response = Response(status: .permanentRedirect, headers: headers)
        } else {
            response = try await next(request, context)
        }
        // A HEAD answer must carry no body; its Content-Length stays GET's.
        return request.method == .head ? response.createHeadResponse() : response
    }

    /// The path without its empty segments, or nil when it has none.
    static func normalised(_ path: String) -> String? {
        guard path != "/", path.contains("//") || path.hasSuffix("/") else { return nil }
        return "/" + path.split(separator: "/").joined(separator: "/")
    }
}

/// A method the path does not take: 405 with `Allow` listing those it does (RFC 9110
/// §15.5.6), from the route table; a path no route has stays 404.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The router names the route it matched; none means this method has no route here.
        if context.endpointPath == nil {
            let allowed = routes.methods(at: request.uri.path)
            if !allowed.isEmpty, !allowed.contains(request.method) {
                throw HTTPError(.methodNotAllowed, headers: [.allow: allowed.map(\.rawValue).joined(separator: ", ")])
            }
        }
        return try await next(request, context)
    }
}
