import Agents
import Channels
import ChatModel
import Foundation
import Hummingbird
import Storage

/// `/api/v1/admin/…`: conversations, their messages, dead letters, parked inbound events; bearer `ADMIN_API_KEY`, closed without one.
struct AdminRoutes {
    let auth: AdminAuthMiddleware
    let store: any Store
    let delivery: DeliveryWorker
    let renderers: [ChatModel.Channel: any ReplyRenderer]
    let policies: [ChatModel.Channel: DeliveryPolicy]
    let feed: ConsoleFeed

    func add(to router: Router<GatewayRequestContext>) {
        let admin = router.group("/api/v1/admin").add(middleware: auth)
        admin.get("/conversations") { request, _ in
            let query = request.uri.queryParameters
            let mode: ConversationMode?
            if let value = query["mode"] {
                guard let parsed = ConversationMode(rawValue: String(value)) else {
                    throw APIError(.badRequest, "invalid_mode", "mode must be bot or human")
                }
                mode = parsed
            } else {
                mode = nil
            }
            let page = try await store.conversations(
                channel: query["channel"].map(String.init), mode: mode,
                before: try AdminParameters.cursor(query["cursor"]), limit: try AdminParameters.limit(query["limit"]))
            return try Self.json(page)
        }
        admin.get("/conversations/{id}/messages") { request, context in
            let id = try AdminParameters.conversationID(context)
            let query = request.uri.queryParameters
            guard let page = try await store.messages(
                conversationID: id, before: try AdminParameters.cursor(query["cursor"]), limit: try AdminParameters.limit(query["limit"]))
            else { throw APIError.notFound("no conversation \(id)") }
            return try Self.json(page)
        }
        admin.post("/conversations/{id}/replies") { request, context in
            try await operatorReply(
                request, id: try AdminParameters.conversationID(context), actor: context.actor ?? .apiKey)
        }
        admin.get("/handoffs") { request, _ in
            let query = request.uri.queryParameters
            let state = try query["state"].map { value in
                guard let state = HandoffState(rawValue: String(value)) else {
                    throw APIError(.badRequest, "invalid_state", "state must be open, taken or closed")
                }
                return state
            }
            return try Self.json(try await store.handoffs(state: state, before: try AdminParameters.cursor(query["cursor"]), limit: try AdminParameters.limit(query["limit"])))
        }
        admin.post("/conversations/{id}/takeover") { request, context in
            struct Body: Decodable { var `operator`: String? }
            let id = try AdminParameters.conversationID(context)
            let actor = context.actor ?? .apiKey
            let bytes = try await request.body.collect(upTo: 1 << 16)
            let named = bytes.readableBytes == 0 ? nil : (try? JSONDecoder().decode(Body.self, from: Data(bytes.readableBytesView)))?.operator
            let name = actor.account?.name ?? named
            guard try await store.takeOver(conversationID: id, operator: name, account: actor.account?.id, at: Date()) else {
                throw APIError.notFound("no conversation \(id)")
            }
            try await store.audit(.takeOver, by: actor.auditName, conversationID: id, detail: name, at: Date())
            feed.publish(ConsoleEvent(type: .conversation, conversationID: id))
            return try Self.json(["mode": "human"])
        }
        admin.post("/conversations/{id}/release") { _, context in
            let id = try AdminParameters.conversationID(context)
            guard try await store.handBack(conversationID: id, at: Date()) else { throw APIError.notFound("no conversation \(id)") }
            try await store.audit(.release, by: (context.actor ?? .apiKey).auditName, conversationID: id, detail: nil, at: Date())
            feed.publish(ConsoleEvent(type: .conversation, conversationID: id))
            return try Self.json(["mode": "bot"])
        }
        admin.get("/conversations/{id}/consents") { _, context in
            let id = try AdminParameters.conversationID(context)
            guard let consents = try await store.consents(conversationID: id) else { throw APIError.notFound("no conversation \(id)") }
            return try Self.json(consents)
        }
        admin.get("/audit-log") { request, context in
            guard (context.actor ?? .apiKey).isAdmin else {
                throw APIError(.forbidden, "admin_only", "the audit log is for admins")
            }
            let query = request.uri.queryParameters
            return try Self.json(try await store.auditLog(before: try AdminParameters.cursor(query["cursor"]), limit: try AdminParameters.limit(query["limit"])))
        }
        admin.get("/dead-letters") { request, _ in
            let query = request.uri.queryParameters
            return try Self.json(try await store.deadLetters(before: try AdminParameters.cursor(query["cursor"]), limit: try AdminParameters.limit(query["limit"])))
        }
        admin.get("/parked-events") { request, _ in
            let query = request.uri.queryParameters
            return try Self.json(try await store.parkedEvents(before: try AdminParameters.cursor(query["cursor"]), limit: try AdminParameters.limit(query["limit"])))
        }
        admin.post("/dead-letters/{id}/retry") { _, context in
            let id = OutboxID(try context.parameters.require("id", as: Int64.self))
            guard try await store.retryDeadLetter(outboxID: id, at: Date()) else {
                throw APIError.notFound("no dead letter \(id)")
            }
            await delivery.wake()
            return Response(
                status: .accepted, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"queued"}"#)))
        }
    }

    /// An operator's message to a conversation (`{"reply": Reply, "consent_topic"?: "newsletter"|"sms"}`),
    /// rendered for its channel and sent from the outbox like any answer, as the `handoff` agent; with a
    /// consent topic it is marketing, sent only while the participant consents.
    private func operatorReply(_ request: Request, id: ConversationID, actor: AdminActor) async throws -> Response {
        struct Body: Decodable {
            var reply: Reply
            var consentTopic: ConsentTopic?
            enum CodingKeys: String, CodingKey {
                case reply
                case consentTopic = "consent_topic"
            }
        }
        let bytes = try await request.body.collect(upTo: 1 << 20)
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(bytes.readableBytesView))
        } catch {
            throw APIError(.badRequest, "invalid_json", "expected {\"reply\": {\"text\", \"quick_replies\", \"cards\", …}}")
        }
        guard let key = try await store.conversationKey(id: id) else { throw APIError.notFound("no conversation \(id)") }
        guard let renderer = renderers[key.channel] else {
            throw APIError(.conflict, "channel_disabled", "the conversation's channel \(key.channel.rawValue) is disabled")
        }
        let batch = UUID().uuidString.lowercased()
        var context = ReplyContext(conversation: key, inReplyTo: "", language: .hu, processingTime: .zero, consentTopic: body.consentTopic)
        let last = try await store.lastInboundEvent(conversationID: id)
        if let last {
            // In the customer's language, as far as their latest message tells.
            context.language = last.content.text.flatMap(LanguageDetector.detect) ?? .hu
            context.recipientName = last.senderName
            if renderer.threadsOperatorMessages {
                // An operator's e-mail answers the customer's latest one: its subject, threaded on it.
                context.subject = last.subject
                context.inReplyTo = last.platformID
            }
        }
        if policies[key.channel]?.needsHumanAgentTag(lastInboundAt: last?.timestamp, now: Date()) == true {
            // A person's reply after the service window: tagged, which the channel allows for longer (docs/channels.md §1.5).
            context.messageTag = "HUMAN_AGENT"
        }
        let rendering = renderer.render(AgentResponse(replies: [body.reply], agent: .handoff, confidence: 1), context: context)
        let metadata = AnswerMetadata(agentType: .handoff, confidence: 1, nodes: [], operatorName: actor.account?.name ?? actor.auditName)
        let metadataJSON = (try? JSONEncoder().encode(metadata)).map { String(decoding: $0, as: UTF8.self) }
        guard !rendering.messages.isEmpty else { throw APIError(.badRequest, "empty_reply", "the reply has nothing to send") }
        let drafts = rendering.messages.enumerated().map { index, message in
            OutboundDraft(
                kind: message.kind, text: message.text, payload: message.payload, idempotencyKey: "operator:\(batch):\(index)",
                metadata: metadataJSON, consentTopic: body.consentTopic)
        }
        try await store.recordLinks(rendering.links, at: Date())
        try await store.enqueue(drafts, conversationID: id, key: key, at: Date())
        try await store.updateChannelState(conversationID: id) { $0.remembering(rendering) }
        try await store.audit(.reply, by: actor.auditName, conversationID: id, detail: String(drafts.count), at: Date())
        await delivery.wake()
        feed.publish(ConsoleEvent(type: .conversation, conversationID: id))
        return try Self.json(["queued": drafts.map(\.idempotencyKey)], status: .accepted)
    }

    /// `value` as the admin API's JSON (sorted keys, ISO 8601 dates).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}

extension Request {
    /// Whether the request has `Authorization: Bearer <token>` with exactly this token (constant time).
    func carriesBearer(_ token: String) -> Bool {
        guard let header = headers[.authorization], header.hasPrefix("Bearer ") else { return false }
        return ConstantTime.equals(String(header.dropFirst("Bearer ".count)), token)
    }
}
