import Channels
import Foundation
import Hummingbird
import Storage

/// Lets an admin request through with `Authorization: Bearer <ADMIN_API_KEY>` (compared in constant time) or
/// with an operator's console session, whose state-changing requests must carry its CSRF token in
/// `X-CSRF-Token`; records who it acts for in the context.
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let apiKey: String?
    /// Without them (routes for scripts only) a session does not count.
    let sessions: ConsoleSessions?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let apiKey, request.carriesBearer(apiKey) {
            context.actor = .apiKey
            return try await next(request, context)
        }
        if request.headers[.authorization] == nil, let sessions, let session = try await sessions.session(request) {
            if ![.get, .head].contains(request.method) {
                guard ConstantTime.equals(request.headers[ConsoleSessions.csrfHeader] ?? "", session.csrfToken) else {
                    throw APIError(.forbidden, "invalid_csrf", "the X-CSRF-Token header is missing or wrong")
                }
            }
            context.actor = .account(session.account)
            return try await next(request, context)
        }
        guard apiKey != nil else {
            throw APIError(.unauthorized, "admin_disabled", "the admin API takes only console sessions: ADMIN_API_KEY is not set")
        }
        throw APIError(.unauthorized, "unauthorized", "a valid bearer key or console session is required")
    }
}
