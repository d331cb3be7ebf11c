import Channels
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// `GET /ws/chat/{session_id}` (the widget socket) and `POST /api/v1/chat` (one REST turn).
struct WidgetRoutes {
    let sessions: WidgetSessions
    let policy: OriginPolicy
    let proxies: TrustedProxies
    /// Which claimed shop customer ids are signed.
    let identity: WidgetIdentity

    init(sessions: WidgetSessions, proxies: TrustedProxies) {
        self.sessions = sessions
        self.policy = OriginPolicy(sessions.config.allowedOrigins)
        self.proxies = proxies
        self.identity = WidgetIdentity(secret: sessions.config.identitySecret)
    }

    /// The socket upgrade. Hummingbird answers a refused upgrade with a bare 400 that a page's script cannot
    /// read, so the open-socket limits are applied after the handshake instead: an `error` frame
    /// (`rate_limited`) and close code 1008. The same GET without upgrade headers says why with a JSON 4xx.
    func add(to router: Router<WidgetSocketContext>) {
        router.ws("/ws/chat/{session_id}") { request, context in
            _ = try socketChecks(request, remoteAddress: context.remoteAddress, parameters: context.parameters, capped: false)
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let request = context.request
            let session = context.requestContext.parameters.get("session_id") ?? ""
            let query = request.uri.queryParameters
            let socket = WidgetSocket(
                sessions: sessions, session: session,
                userID: identity.verified(userID: query["user_id"].map(String.init), hash: query["user_hash"].map(String.init)),
                address: proxies.client(peer: context.requestContext.remoteAddress, headers: request.headers), logger: context.logger)
            try await socket.run(inbound: inbound, outbound: outbound)
        }
    }

    func add(to router: Router<GatewayRequestContext>) {
        router.get("/ws/chat/{session_id}") { request, context -> Response in
            _ = try socketChecks(request, remoteAddress: context.remoteAddress, parameters: context.parameters, capped: true)
            throw APIError(.upgradeRequired, "upgrade_required", "this route is a WebSocket; connect with Upgrade: websocket")
        }
        let chat = router.group("/api/v1/chat").add(middleware: WidgetCORSMiddleware(policy: policy))
        chat.post { request, context in try await turn(request, context: context) }
        chat.on("", method: .options) { _, _ in Response(status: .noContent) }
    }

    /// Session id, page origin and the client address's rate limit, checked before a socket opens; with
    /// `capped`, also the open-socket limits (429).
    private func socketChecks(_ request: Request, remoteAddress: SocketAddress?, parameters: Parameters, capped: Bool) throws -> String {
        let session = parameters.get("session_id") ?? ""
        guard WidgetMessageID.isValidSession(session) else {
            throw APIError(.badRequest, "invalid_session", "session_id must be 8 to 128 letters, digits, '-' or '_'")
        }
        guard policy.allows(origin: request.headers[.origin], host: request.head.authority) else {
            sessions.metrics.widgetError("origin_not_allowed")
            throw APIError(.forbidden, "origin_not_allowed", "this page's origin may not open the chat socket")
        }
        let address = proxies.client(peer: remoteAddress, headers: request.headers)
        if capped, let reason = sessions.hub.refusal(session, address: address) {
            sessions.metrics.widgetRateLimited(scope: "sockets")
            throw Self.apiError(WidgetError(.rateLimited, reason))
        }
        do throws(WidgetError) {
            try sessions.admit(address: address)
        } catch {
            throw Self.apiError(error)
        }
        return session
    }

    /// The REST turn: stores the message and waits for the agent's answer, at most `reply_timeout_ms`.
    private func turn(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        struct Body: Decodable {
            var sessionID: String
            var content: String?
            var userID: String?
            var userHash: String?
            var messageID: String?

            enum CodingKeys: String, CodingKey {
                case sessionID = "session_id"
                case content
                case userID = "user_id"
                case userHash = "user_hash"
                case messageID = "message_id"
            }
        }
        let limit = sessions.config.maxFrameBytes
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, "payload_too_large", "body exceeds \(limit) bytes")
        }
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(bytes.readableBytesView))
        } catch {
            throw APIError(.badRequest, "invalid_json", "expected {\"session_id\", \"content\", \"user_id\"?, \"message_id\"?}")
        }
        guard WidgetMessageID.isValidSession(body.sessionID) else {
            throw APIError(.badRequest, "invalid_session", "session_id must be 8 to 128 letters, digits, '-' or '_'")
        }
        let session = body.sessionID
        let clientID = body.messageID ?? WidgetSessions.newID()
        let waiter = sessions.hub.expectReply(session, to: clientID)
        defer { sessions.hub.forget(waiter, session: session, clientMessageID: clientID) }
        let received: WidgetSessions.Received
        do {
            let input = try WidgetInput(
                content: body.content, messageID: clientID, userID: body.userID,
                maxCharacters: sessions.config.maxMessageCharacters)
            received = try await sessions.receive(
                input, session: session, address: proxies.client(peer: context.remoteAddress, headers: request.headers),
                shopCustomerID: identity.verified(userID: body.userID, hash: body.userHash))
        } catch {
            sessions.metrics.widgetError(error.kind.rawValue)
            throw Self.apiError(error)
        }
        if !received.isNew {
            // A resend: answer with the reply already sent, or get a held one delivered now.
            if let sent = try? await sessions.store.sentReplies(to: received.platformID, channel: .widget).last,
                let response = WidgetSessions.response(sent)
            {
                return Self.json(.chatResponse(response))
            }
            await sessions.releaseHeld(session)
        }
        guard let response = await Self.first(of: waiter.replies, within: sessions.config.replyTimeout) else {
            let seconds = WidgetSessions.wholeSeconds(sessions.config.replyTimeout)
            throw APIError(
                .gatewayTimeout, "reply_timeout",
                "the message was stored but no reply came within \(seconds) s; it will reach the session's widget")
        }
        return Self.json(.chatResponse(response))
    }

    private static func first<Element: Sendable>(of stream: AsyncStream<Element>, within limit: Duration) async -> Element? {
        await withTaskGroup(of: Element?.self) { group in
            group.addTask { await stream.first { _ in true } }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            return await group.next() ?? nil
        }
    }

    private static func json(_ frame: WidgetServerFrame) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: frame.json())))
    }

    private static func apiError(_ error: WidgetError) -> APIError {
        switch error.kind {
        case .rateLimited:
            var headers: HTTPFields = [:]
            if let wait = error.retryAfter { headers[.retryAfter] = String(WidgetSessions.wholeSeconds(wait)) }
            return APIError(.tooManyRequests, error.kind.rawValue, error.message, headers: headers)
        case .unavailable:
            return APIError(.serviceUnavailable, error.kind.rawValue, error.message)
        default:
            return APIError(.badRequest, error.kind.rawValue, error.message)
        }
    }

    /// The client address a rate limit counts against.
}
