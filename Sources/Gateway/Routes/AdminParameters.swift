import Foundation
import Hummingbird
import Storage

/// What admin routes read from a request the same way: paging, the conversation in the path, a JSON body.
enum AdminParameters {
    /// `cursor` as a row id (the `next_cursor` of a page of rows).
    static func cursor(_ value: Substring?) throws -> Int64? {
        guard let value else { return nil }
        guard let cursor = Int64(value) else { throw APIError(.badRequest, "invalid_cursor", "cursor must be a number") }
        return cursor
    }

    /// `limit`, 50 when absent.
    static func limit(_ value: Substring?) throws -> Int {
        guard let value else { return 50 }
        guard let limit = Int(value), (1...500).contains(limit) else {
            throw APIError(.badRequest, "invalid_limit", "limit must be between 1 and 500")
        }
        return limit
    }

    /// The conversation of a `/conversations/{id}/…` route.
    static func conversationID(_ context: GatewayRequestContext) throws -> ConversationID {
        ConversationID(try context.parameters.require("id", as: Int64.self))
    }

    /// The integer member `name` of the request's JSON body (`{"customer_id": 12}`); 400 `invalid_json` otherwise.
    static func integer(_ name: String, of request: Request) async throws -> Int64 {
        let body = try await self.body([String: Int64].self, request, example: "{\"\(name)\": 12}")
        guard let value = body[name] else { throw APIError(.badRequest, "invalid_json", "expected {\"\(name)\": 12}") }
        return value
    }

    /// The request's JSON body (at most 64 KiB) as `Body`; 400 `invalid_json` naming `example` otherwise.
    static func body<Body: Decodable>(_ type: Body.Type, _ request: Request, example: String) async throws -> Body {
        let bytes = try await request.body.collect(upTo: 1 << 16)
        do {
            return try JSONDecoder().decode(Body.self, from: Data(bytes.readableBytesView))
        } catch {
            throw APIError(.badRequest, "invalid_json", "expected \(example)")
        }
    }
}
