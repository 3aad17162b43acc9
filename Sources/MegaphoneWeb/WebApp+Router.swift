public import Hummingbird
import Foundation
import MegaphoneCampaign
import MegaphoneMail
import MegaphoneSignatures
import MegaphoneValue

extension WebApp {
    /// Every route, with the middleware that logs requests, adds security headers,
    /// answers HEAD and 405s, and turns errors into plain HTML pages.
    public func router() -> Router<WebRequestContext> {
        let routes = routeTable()
        let router = Router(context: WebRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: RequestLogMiddleware(logger: site.logger, routes: routes))
        router.add(middleware: SecurityHeadersMiddleware(headers: site.securityHeaders, embedding: site.embedding))
        router.add(middleware: HeadAndPathMiddleware())
        router.add(middleware: ErrorPageMiddleware(pages: site.defaultPages))
        router.add(middleware: MethodNotAllowedMiddleware(routes: routes))
        routes.register(on: router)
        return router
    }

    /// Every route the server answers; the one table the router, the 405 answers and the
    /// request log all read. `:token` parameters are never logged.
    func routeTable() -> RouteTable {
        var routes = RouteTable(loggable: ["name": Set(site.order), "action": Set(OrganiserAction.allCases.map(\.rawValue))])
        HealthController().addRoutes(to: &routes)
        tokens.addRoutes(to: &routes)
        admin.addRoutes(to: &routes)
        // Last: `/:name` takes any first segment the others do not.
        campaignPages.addRoutes(to: &routes)
        return routes
    }

}
