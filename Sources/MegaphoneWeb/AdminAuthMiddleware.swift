import Hummingbird

/// The organiser's authentication, in front of the campaigns' actions and exports: a
/// live login session or the right `Authorization: Bearer` token passes; anyone else
/// gets a 401 page, and a client locked out for wrong tokens the 429 login page.
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext
    let admin: AdminController

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try admin.requireAdminEnabled()
        switch admin.adminAccess(request, context) {
        case .granted: return try await next(request, context)
        case .denied: throw PageFailure(.unauthorized, heading: admin.adminPages.text("admin_heading"), admin.adminPages.text("admin_denied"))
        case .lockedOut(let wait): return admin.lockedOut(wait)
        }
    }
}
