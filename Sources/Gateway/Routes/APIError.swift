import Foundation
import Hummingbird

/// An error answered as `{"error": {"code", "message", "request_id"}}` with its status.
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    /// A stable, machine-readable name (`unauthorized`, `payload_too_large`, …).
    public var code: String
    /// A short reason for people; never a secret or a stack trace.
    public var message: String
    /// Extra headers of the answer, such as `Retry-After`.
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    static func notFound(_ what: String = "no such route") -> APIError { APIError(.notFound, "not_found", what) }

    /// The JSON response for this error.
    func response(requestID: String) -> Response {
        struct Body: Encodable {
            struct Detail: Encodable {
                var code: String
                var message: String
                var request_id: String
            }
            var error: Detail
        }
        let body = Body(error: .init(code: code, message: message, request_id: requestID))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(body)) ?? Data()
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The API error that stands for any error thrown by a route or by Hummingbird.
    static func from(_ error: any Error) -> APIError? {
        if let error = error as? APIError { return error }
        if let error = error as? HTTPError {
            switch error.status {
            case .notFound: return .notFound()
            case .contentTooLarge: return APIError(.contentTooLarge, "payload_too_large", "request body is too large")
            case .methodNotAllowed: return APIError(.methodNotAllowed, "method_not_allowed", "method not allowed")
            case .badRequest: return APIError(.badRequest, "bad_request", "malformed request")
            default: return APIError(error.status, "http_\(error.status.code)", error.status.reasonPhrase)
            }
        }
        return nil
    }
}
