import Hummingbird

/// Every route the server answers, in one table: it registers them with the router, says
/// which methods a path takes (for 405 and `Allow`), and writes a request's path for the
/// log showing only what the table knows is safe (literal segments, campaign names):
/// tokens, and anything else a client typed, never reach the log however they are spelled.
struct RouteTable: Sendable {
    typealias Handler = @Sendable (Request, WebRequestContext) async throws -> Response

    struct Route: Sendable {
        let method: HTTPRequest.Method
        /// The path pattern, such as `/confirm/:token`.
        let path: String
        let handler: Handler
        /// Middleware in front of this route alone (the organiser's authentication).
        var guards: [any MiddlewareProtocol<Request, Response, WebRequestContext>] = []

        var segments: [Substring] { path.split(separator: "/") }
    }

    private(set) var routes: [Route] = []
    /// For each parameter, the values that may be written to the log; a parameter not
    /// named here (a token) is always logged as `<token>`.
    let loggable: [String: Set<String>]

    init(loggable: [String: Set<String>]) {
        self.loggable = loggable
    }

    mutating func get(_ path: String, _ handler: @escaping Handler) {
        routes.append(Route(method: .get, path: path, handler: handler))
    }

    mutating func post(_ path: String, _ handler: @escaping Handler) {
        routes.append(Route(method: .post, path: path, handler: handler))
    }

    /// Routes added in `build` sit behind `middleware` (a route group, as Hummingbird's own).
    mutating func group(_ middleware: some RouterMiddleware<WebRequestContext>, _ build: (inout RouteTable) -> Void) {
        var inner = RouteTable(loggable: loggable)
        build(&inner)
        for var route in inner.routes {
            route.guards.insert(middleware, at: 0)
            routes.append(route)
        }
    }

    /// Adds every route to `router` (whose `.autoGenerateHeadEndpoints` answers HEAD as GET).
    func register(on router: Router<WebRequestContext>) {
        for route in routes {
            let handler = route.handler
            let group = router.group()
            for middleware in route.guards { group.add(middleware: middleware) }
            group.on(RouterPath(route.path), method: route.method) { request, context in try await handler(request, context) }
        }
    }

    /// The methods some route takes at `path`, HEAD wherever GET (empty: no route has the path).
    func methods(at path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        var methods: [HTTPRequest.Method] = []
        for route in routes where Self.matches(route.segments, segments) && !methods.contains(route.method) {
            methods.append(route.method)
            if route.method == .get, !methods.contains(.head) { methods.append(.head) }
        }
        return methods
    }

    /// `path` for the log: segments a matching route (whatever its method) takes as a
    /// token become `<token>`; others are kept only when they are a route's literal text or
    /// a value the table knows (a campaign's name), else `<?>`.
    func logged(_ path: String) -> String {
        let segments = path.split(separator: "/")
        let matching = routes.map(\.segments).filter { Self.matches($0, segments) }
        var index = 0
        return path.split(separator: "/", omittingEmptySubsequences: false).map { part -> String in
            guard !part.isEmpty else { return "" }
            defer { index += 1 }
            return shown(part, at: index, matching: matching)
        }.joined(separator: "/")
    }

    private func shown(_ segment: Substring, at index: Int, matching: [[Substring]]) -> String {
        let patterns = matching.isEmpty ? routes.flatMap(\.segments) : matching.map { $0[index] }
        var known = false
        for pattern in patterns {
            if pattern.hasPrefix(":") {
                guard let values = loggable[String(pattern.dropFirst())] else {
                    if !matching.isEmpty { return "<token>" }
                    continue
                }
                if values.contains(String(segment)) { known = true }
            } else if pattern == segment {
                known = true
            }
        }
        return known ? String(segment) : "<?>"
    }

    /// Whether a route's pattern takes these path segments (empty segments are ignored,
    /// as the router does).
    static func matches(_ pattern: [Substring], _ segments: [Substring]) -> Bool {
        pattern.count == segments.count && zip(pattern, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
    }
}
