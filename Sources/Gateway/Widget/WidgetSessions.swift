import Channels
import ChatModel
import Foundation
import Storage

/// The widget channel's conversations: customer messages from sockets and REST turns go into the same
/// inbox as every platform's; sockets get their session's history on connect and every frame after.
struct WidgetSessions: Sendable {
    let config: GatewayConfig.Widget
    let hub: WidgetHub
    let store: any Store
    let inbox: Inbox
    let delivery: DeliveryWorker
    let metrics: GatewayMetrics
    private let sessionLimiter: TokenBucketLimiter
    private let addressLimiter: TokenBucketLimiter

    init(config: GatewayConfig.Widget, hub: WidgetHub, store: any Store, inbox: Inbox, delivery: DeliveryWorker, metrics: GatewayMetrics) {
        self.config = config
        self.hub = hub
        self.store = store
        self.inbox = inbox
        self.delivery = delivery
        self.metrics = metrics
        sessionLimiter = TokenBucketLimiter(config.sessionLimit)
        addressLimiter = TokenBucketLimiter(config.addressLimit)
    }

    /// A stored customer message: its platform id, and whether it was new (not a resend).
    struct Received: Sendable {
        var platformID: String
        var isNew: Bool
    }

    /// The conversation a session id stands for.
    func key(_ session: String) -> ConversationKey {
        ConversationKey(channel: .widget, accountID: config.accountID, userID: session)
    }

    /// Takes a token from the client address's bucket (one per connection and per message).
    func admit(address: String) throws(WidgetError) {
        if let wait = addressLimiter.take(address) {
            metrics.widgetRateLimited(scope: "address")
            throw WidgetError(.rateLimited, "too many requests from this address; try again in \(Self.describe(wait))", retryAfter: wait)
        }
    }

    /// Stores a customer message (rate-limited per session and per address) and shows it on every tab of the session;
    /// `shopCustomerID`, signed by the shop, links the session to that customer.
    func receive(_ input: WidgetInput, session: String, address: String, shopCustomerID: String? = nil) async throws(WidgetError) -> Received {
        if let wait = sessionLimiter.take(session) {
            metrics.widgetRateLimited(scope: "session")
            throw WidgetError(.rateLimited, "too many messages; try again in \(Self.describe(wait))", retryAfter: wait)
        }
        try admit(address: address)
        let clientID = input.messageID ?? Self.newID()
        let content: InboundContent =
            if let payload = input.quickReplyPayload {
                .quickReply(title: input.content, payload: payload)
            } else if let payload = input.postbackPayload {
                .postback(title: input.content, payload: payload, referral: nil)
            } else {
                .text(input.content)
            }
        let now = Date()
        var event = InboundEvent(
            conversation: key(session), platformID: WidgetMessageID.platformID(session: session, clientID: clientID),
            timestamp: now, content: content)
        event.shopCustomerID = shopCustomerID
        let outcome: AcceptOutcome
        do {
            outcome = try await inbox.accept([event], channel: .widget)
        } catch {
            throw WidgetError(.unavailable, "the message could not be stored; send it again")
        }
        let isNew = outcome.stored > 0
        if isNew {
            let echo = WidgetServerFrame.chatMessage(.init(messageID: clientID, content: input.content, timestamp: now))
            hub.push(WidgetHub.Frame(messageID: clientID, text: echo.json()), to: session)
        }
        return Received(platformID: event.platformID, isNew: isNew)
    }

    /// The session's recent messages as the widget shows them, oldest first.
    func history(_ session: String) async throws -> [WidgetServerFrame] {
        try await store.transcript(key(session), limit: config.historyCount).compactMap { entry in
            switch entry.direction {
            case .inbound:
                guard let text = entry.text, let platformID = entry.platformMessageID else { return nil }
                return .chatMessage(.init(
                    messageID: WidgetMessageID.clientPart(of: platformID, session: session), content: text,
                    timestamp: entry.timestamp))
            case .outbound:
                return Self.response(entry).map(WidgetServerFrame.chatResponse)
            }
        }
    }

    /// A sent answer as the `chat_response` it was pushed as.
    static func response(_ entry: TranscriptEntry) -> WidgetServerFrame.ChatResponse? {
        guard let stored = try? WidgetReply.decode(entry.body) else { return nil }
        return .init(messageID: entry.platformMessageID ?? "", timestamp: entry.timestamp, stored: stored)
    }

    /// Answers held while the customer was away go out now that someone listens.
    func releaseHeld(_ session: String) async {
        let now = Date()
        let expiringBefore = now.addingTimeInterval(-(config.heldReplyLifetime / .seconds(1)))
        _ = try? await delivery.releaseHeld(key(session), expiringBefore: expiringBefore)
    }

    static func newID() -> String {
        UUID().uuidString.lowercased()
    }

    /// Whole seconds, at least one, as `Retry-After` and people want them.
    static func wholeSeconds(_ wait: Duration) -> Int {
        max(1, Int((wait / .seconds(1)).rounded(.up)))
    }

    private static func describe(_ wait: Duration) -> String {
        "\(wholeSeconds(wait)) s"
    }
}
