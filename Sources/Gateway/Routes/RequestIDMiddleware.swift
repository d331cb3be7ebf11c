import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an `X-Request-ID` (kept from the caller when sane), puts it in the logs, and
/// turns every error into the JSON error body with that id, never a stack trace.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let requestID = request.headers[.requestID].flatMap(Self.sanitized) ?? UUID().uuidString.lowercased()
        context.requestID = requestID
        context.logger[metadataKey: "request_id"] = .string(requestID)
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let apiError: APIError
            if let known = APIError.from(error) {
                apiError = known
            } else {
                context.logger.error("request failed", metadata: ["error_type": "\(type(of: error))"])
                apiError = APIError(.internalServerError, "internal_error", "internal error")
            }
            response = apiError.response(requestID: requestID)
        }
        response.headers[.requestID] = requestID
        return response
    }

    /// The caller's id if it is short and made of safe characters.
    private static func sanitized(_ value: String) -> String? {
        guard (1...128).contains(value.utf8.count),
            value.utf8.allSatisfy({ $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") })
        else { return nil }
        return value
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-ID")!
}

extension UInt8 {
    fileprivate var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
    }
}
