import HTTPTypes
import Hummingbird

/// CORS for the widget's REST turn against the configured origin allow-list: answers preflights, refuses
/// pages that are not allowed with 403, and adds the CORS headers to every answer (errors included, so a
/// page can read why it failed). Hummingbird's `CORSMiddleware` matches exact origins only; the allow-list
/// also has port and subdomain wildcards, shared with the socket's `Origin` check.
struct WidgetCORSMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let policy: OriginPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        guard policy.allows(origin: origin, host: request.head.authority) else {
            throw APIError(.forbidden, "origin_not_allowed", "this page's origin may not use the chat API")
        }
        var response: Response
        if request.method == .options {
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "POST, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "Content-Type, X-Request-ID"
            response.headers[.accessControlMaxAge] = "600"
        } else {
            do {
                response = try await next(request, context)
            } catch {
                guard let apiError = APIError.from(error) else { throw error }
                response = apiError.response(requestID: context.requestID)
            }
        }
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.accessControlExposeHeaders] = "X-Request-ID, Retry-After"
        response.headers[.vary] = "Origin"
        return response
    }
}
