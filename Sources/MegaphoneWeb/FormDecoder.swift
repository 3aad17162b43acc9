import Foundation
import Hummingbird
import NIOCore

/// Reads a request's form for a handler, or refuses it with a page that says what to fix.
enum FormDecoder {
    /// The request's form: only `application/x-www-form-urlencoded`, at most 16 KB, valid UTF-8.
    static func form(_ request: Request, _ context: WebRequestContext, pages: PageRenderer) async throws -> FormData {
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == "application/x-www-form-urlencoded" else {
            throw PageFailure(.unsupportedMediaType, heading: pages.text("error_heading"), pages.text("err_form_type"))
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: WebSettings.maxBody)
        } catch {
            throw PageFailure(.contentTooLarge, heading: pages.text("error_heading"), pages.text("err_form_large"))
        }
        do {
            return try FormData(Array(buffer.readableBytesView))
        } catch {
            throw PageFailure(.badRequest, heading: pages.text("error_heading"), pages.text("err_form_unreadable"))
        }
    }
}
