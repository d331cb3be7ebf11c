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
    /// Where the page's own reports go (`ChatBuddy.track`); nil: not taken.
    let shopEvents: ShopEventRecorder?
    private let sessionLimiter: TokenBucketLimiter
    private let addressLimiter: TokenBucketLimiter

    init(
        config: GatewayConfig.Widget, hub: WidgetHub, store: any Store, inbox: Inbox, delivery: DeliveryWorker, shopEvents: ShopEventRecorder? = nil,
        metrics: GatewayMetrics
    ) {
        self.shopEvents = shopEvents
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

    /// The events a page may report about its own visitor: their cart, and the order that ends it.
    static let trackedEvents: Set<String> = [ShopEvent.Kind.cartUpdated.rawValue, ShopEvent.Kind.orderPlaced.rawValue]

    /// Stores an event the page reported through the widget (`ChatBuddy.track`), about the session's visitor only
    /// and rate-limited like their messages; its id is the session's, so no page can touch another visitor's events.
    func track(_ frame: String, session: String, address: String) async throws(WidgetError) {
        guard let shopEvents else { throw WidgetError(.unknownType, "this gateway takes no tracked events") }
        if let wait = sessionLimiter.take(session) {
            metrics.widgetRateLimited(scope: "session")
            throw WidgetError(.rateLimited, "too many frames; try again in \(Self.describe(wait))", retryAfter: wait)
        }
        try admit(address: address)
        guard var fields = (try? JSONSerialization.jsonObject(with: Data(frame.utf8))) as? [String: Any],
            let name = fields["event"] as? String, Self.trackedEvents.contains(name)
        else {
            throw WidgetError(.invalidEvent, "event must be one of \(Self.trackedEvents.sorted().joined(separator: ", "))")
        }
        let clientID = (fields["event_id"] as? String).flatMap { $0.isEmpty || $0.utf8.count > 100 ? nil : $0 } ?? Self.newID()
        fields["id"] = "widget:\(session):\(clientID)"
        fields["type"] = name
        fields["customer"] = ["widget_session": session]
        for key in ["event", "event_id"] { fields.removeValue(forKey: key) }
        guard let body = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else {
            throw WidgetError(.invalidEvent, "the event cannot be read")
        }
        let event: ShopEvent
        do {
            event = try ShopEvent(Array(body))
        } catch {
            throw WidgetError(.invalidEvent, error.message)
        }
        do {
            _ = try await shopEvents.record(event, body: String(decoding: body, as: UTF8.self))
        } catch {
            throw WidgetError(.unavailable, "the event could not be stored; send it again")
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
