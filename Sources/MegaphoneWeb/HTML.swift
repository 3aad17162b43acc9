import Hummingbird
import NIOCore

/// An HTML page as a response: the page's text, its status, and whether it shows a
/// private token (then no cache may keep it).
struct HTML: ResponseGenerator {
    let text: String
    var status: HTTPResponse.Status = .ok
    var privateToken = false

    func response(from request: Request, context: some RequestContext) throws -> Response { response }

    var response: Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        headers[.cacheControl] = privateToken ? "no-store" : "no-cache"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func response(_ text: String, status: HTTPResponse.Status = .ok, privateToken: Bool = false) -> Response {
        HTML(text: text, status: status, privateToken: privateToken).response
    }
}

/// A short plain-text answer (the health check).
enum PlainText {
    static func response(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
