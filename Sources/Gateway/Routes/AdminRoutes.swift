import Channels
import Foundation
import Hummingbird
import Storage

/// `/api/v1/admin/…`: conversations, their messages, dead letters; bearer `ADMIN_API_KEY`, closed without one.
struct AdminRoutes {
    let apiKey: String?
    let store: any Store
    let delivery: DeliveryWorker

    func add(to router: Router<GatewayRequestContext>) {
        let admin = router.group("/api/v1/admin").add(middleware: BearerKeyMiddleware(apiKey: apiKey))
        admin.get("/conversations") { request, _ in
            let query = request.uri.queryParameters
            let page = try await store.conversations(
                channel: query["channel"].map(String.init), mode: query["mode"].map(String.init),
                before: try cursor(query["cursor"]), limit: try limit(query["limit"]))
            return try Self.json(page)
        }
        admin.get("/conversations/{id}/messages") { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let query = request.uri.queryParameters
            guard let page = try await store.messages(
                conversationID: id, before: try cursor(query["cursor"]), limit: try limit(query["limit"]))
            else { throw APIError.notFound("no conversation \(id)") }
            return try Self.json(page)
        }
        admin.get("/dead-letters") { request, _ in
            let query = request.uri.queryParameters
            return try Self.json(try await store.deadLetters(before: try cursor(query["cursor"]), limit: try limit(query["limit"])))
        }
        admin.post("/dead-letters/{id}/retry") { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            guard try await store.retryDeadLetter(outboxID: id, at: Date()) else {
                throw APIError.notFound("no dead letter \(id)")
            }
            await delivery.wake()
            return Response(
                status: .accepted, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"queued"}"#)))
        }
    }

    private func cursor(_ value: Substring?) throws -> Int64? {
        guard let value else { return nil }
        guard let cursor = Int64(value) else { throw APIError(.badRequest, "invalid_cursor", "cursor must be a number") }
        return cursor
    }

    private func limit(_ value: Substring?) throws -> Int {
        guard let value else { return 50 }
        guard let limit = Int(value), (1...500).contains(limit) else {
            throw APIError(.badRequest, "invalid_limit", "limit must be between 1 and 500")
        }
        return limit
    }

    private static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}

/// Lets a request through only with `Authorization: Bearer <key>` (compared in constant time).
struct BearerKeyMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let apiKey: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let apiKey else {
            throw APIError(.unauthorized, "admin_disabled", "the admin API is closed: ADMIN_API_KEY is not set")
        }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            ConstantTime.equals(String(header.dropFirst("Bearer ".count)), apiKey)
        else {
            throw APIError(.unauthorized, "unauthorized", "a valid bearer key is required")
        }
        return try await next(request, context)
    }
}
