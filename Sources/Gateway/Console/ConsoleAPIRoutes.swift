import ChatModel
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import Storage
import Webshop

/// The admin API's routes the console lives on: the list of conversations, one conversation with what
/// surrounds it, assignment, read marks, notes, accounts, canned replies, the customer's orders, and the
/// live event stream. The bearer key or an operator session (with its CSRF token) gets in.
struct ConsoleAPIRoutes {
    let auth: AdminAuthMiddleware
    let store: any Store
    let shop: UNASWebshop
    let feed: ConsoleFeed
    let cannedReplies: [CannedReply]
    /// How long one event stream stays open before the browser reconnects, and the gap between keep-alives.
    var streamLifetime: Duration = .seconds(1800)
    var keepAlive: Duration = .seconds(20)

    func add(to router: Router<GatewayRequestContext>) {
        let admin = router.group("/api/v1/admin").add(middleware: auth)
        admin.get("/inbox") { request, context in
            let query = request.uri.queryParameters
            var filter = InboxFilter(channel: query["channel"].map(String.init), search: query["q"].map(String.init))
            if let value = query["mode"] {
                guard let mode = ConversationMode(rawValue: String(value)) else {
                    throw APIError(.badRequest, "invalid_mode", "mode must be bot or human")
                }
                filter.mode = mode
            }
            filter.waiting = Self.flag(query["waiting"])
            if Self.flag(query["mine"]) {
                guard let account = context.actor?.account else {
                    throw APIError(.badRequest, "no_account", "mine needs an operator session")
                }
                filter.assignedTo = account.id
            }
            if let cursor = query["cursor"], cursor.split(separator: ".").count != 2 || !cursor.split(separator: ".").allSatisfy({ Int64($0) != nil }) {
                throw APIError(.badRequest, "invalid_cursor", "cursor must be a next_cursor this route returned")
            }
            return try AdminRoutes.json(
                try await store.inbox(filter, before: query["cursor"].map(String.init), limit: try AdminParameters.limit(query["limit"])))
        }
        admin.get("/conversations/{id}") { _, context in
            let id = try AdminParameters.conversationID(context)
            guard let detail = try await store.conversationDetail(id: id) else { throw APIError.notFound("no conversation \(id)") }
            return try AdminRoutes.json(detail)
        }
        admin.post("/conversations/{id}/assign") { request, context in
            struct Body: Decodable {
                var operatorID: OperatorID
                enum CodingKeys: String, CodingKey { case operatorID = "operator_id" }
            }
            let id = try AdminParameters.conversationID(context)
            let body = try await AdminParameters.body(Body.self, request, example: #"{"operator_id": 3}"#)
            guard let account = try await store.operatorAccount(id: body.operatorID), account.disabledAt == nil else {
                throw APIError(.badRequest, "unknown_operator", "no enabled operator account \(body.operatorID)")
            }
            guard try await store.assign(conversationID: id, to: account, at: Date()) else { throw APIError.notFound("no conversation \(id)") }
            try await store.audit(.assign, by: (context.actor ?? .apiKey).auditName, conversationID: id, detail: account.email, at: Date())
            feed.publish(ConsoleEvent(type: .conversation, conversationID: id))
            return try AdminRoutes.json(["mode": "human", "operator": account.name])
        }
        admin.post("/conversations/{id}/notes") { request, context in
            struct Body: Decodable { var text: String }
            let id = try AdminParameters.conversationID(context)
            let body = try await AdminParameters.body(Body.self, request, example: #"{"text": "…"}"#)
            let text = body.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, text.count <= 4000 else {
                throw APIError(.badRequest, "invalid_note", "a note has 1 to 4000 characters")
            }
            guard let note = try await store.addNote(conversationID: id, author: (context.actor ?? .apiKey).auditName, text: text, at: Date())
            else { throw APIError.notFound("no conversation \(id)") }
            feed.publish(ConsoleEvent(type: .conversation, conversationID: id))
            return try AdminRoutes.json(note, status: .created)
        }
        admin.post("/conversations/{id}/seen") { _, context in
            let id = try AdminParameters.conversationID(context)
            guard try await store.markSeen(conversationID: id, at: Date()) else { throw APIError.notFound("no conversation \(id)") }
            return Response(status: .noContent)
        }
        admin.get("/conversations/{id}/orders") { _, context in
            try await orders(try AdminParameters.conversationID(context))
        }
        admin.get("/operators") { _, _ in
            try AdminRoutes.json(try await store.operators())
        }
        admin.get("/canned-replies") { _, _ in
            try AdminRoutes.json(cannedReplies)
        }
        admin.get("/events") { _, _ in
            eventStream()
        }
    }

    /// The customer's orders in the shop, by the e-mail address they verified an order with or write from.
    private func orders(_ id: ConversationID) async throws -> Response {
        guard let detail = try await store.conversationDetail(id: id) else { throw APIError.notFound("no conversation \(id)") }
        guard let client = shop.client else {
            throw APIError(.serviceUnavailable, "orders_unavailable", "order look-up needs the UNAS API key (UNAS_API_KEY)")
        }
        let conversation = detail.conversation
        let address = [detail.verifiedContact, conversation.channel == "email" ? conversation.userID : nil]
            .compactMap { $0 }.first { $0.contains("@") }
        guard let address else { return try AdminRoutes.json([Order]()) }
        let orders: [Order]
        do {
            orders = try await client.orders(email: address)
        } catch {
            throw APIError(.badGateway, "unas_unavailable", error.description)
        }
        return try AdminRoutes.json(orders)
    }

    /// Server-Sent Events: one `data:` line of JSON an event, a comment line as keep-alive; the stream ends
    /// after `streamLifetime` (the browser's EventSource reconnects) or at shutdown.
    private func eventStream() -> Response {
        let events = feed.subscribe()
        let (lines, output) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(ConsoleFeed.backlog))
        let lifetime = streamLifetime
        let keepAlive = keepAlive
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let encoder = JSONEncoder()
                    for await event in events {
                        guard let data = try? encoder.encode(event) else { continue }
                        output.yield("data: \(String(decoding: data, as: UTF8.self))\n\n")
                    }
                }
                group.addTask {
                    let started = ContinuousClock.now
                    while ContinuousClock.now - started < lifetime {
                        try await Task.sleep(for: keepAlive)
                        output.yield(": keep-alive\n\n")
                    }
                    output.finish()
                }
                group.addTask {
                    // The server is stopping: end the stream so that shutdown need not wait for it.
                    try await gracefulShutdown()
                    output.finish()
                }
                for await line in lines {
                    try await writer.write(ByteBuffer(string: line))
                }
                group.cancelAll()
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"],
            body: body)
    }

    private static func flag(_ value: Substring?) -> Bool {
        value == "1" || value == "true"
    }
}
