import HTTPTypes
import Hummingbird

/// Headers every answer carries (`nosniff`, no referrer), and a content security policy on HTML
/// (the demo page, the unsubscribe page) that allows only this server's own scripts and connections
/// and framing by `frameAncestors`.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    /// CSP `frame-ancestors` sources, e.g. `'self'` or `https://shop.example.hu`.
    let frameAncestors: [String]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        // Unsubscribe and short links carry tokens in their query; no page passes them on.
        response.headers[.referrerPolicy] = "no-referrer"
        if response.headers[.contentType]?.lowercased().hasPrefix("text/html") == true {
            response.headers[.contentSecurityPolicy] = policy
        }
        return response
    }

    private var policy: String {
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; "
            + "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors \(frameAncestors.joined(separator: " "))"
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
}
