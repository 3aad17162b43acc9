import Foundation
import Hummingbird
import MegaphoneCampaign
import NIOCore

/// `/healthz` for load balancers and the benchmark, and the pages' own style sheet and script.
struct HealthController: Sendable {
    func addRoutes(to routes: inout RouteTable) {
        // The first segments come from ServerPaths: the same list check refuses as campaign names.
        routes.get("/\(ServerPaths.health)") { _, _ in PlainText.response("ok\n") }
        // The same answer to a POST: a load balancer's check, and the benchmark's ceiling
        // (this server answering a trivial POST through the same middleware).
        routes.post("/\(ServerPaths.health)") { _, _ in PlainText.response("ok\n") }
        routes.get("/\(ServerPaths.assets)/site.css") { _, _ in try Self.asset("site.css", type: "text/css; charset=utf-8") }
        routes.get("/\(ServerPaths.assets)/count.js") { _, _ in try Self.asset("count.js", type: "text/javascript; charset=utf-8") }
    }

    static func asset(_ name: String, type: String) throws -> Response {
        guard let data = FileManager.default.contents(atPath: "\(PageRenderer.builtInFolder)/\(name)") else {
            throw PageFailure(.notFound, heading: PageRenderer.english?.text("not_found_heading") ?? "", PageRenderer.english?.text("error_no_file_text") ?? "")
        }
        var headers: HTTPFields = [.contentType: type]
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
