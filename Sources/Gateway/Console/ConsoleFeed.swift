import Foundation
import Storage
import Synchronization

/// Something operators should see at once: a customer wrote, a person was asked for, a reply's delivery
/// changed, or an operator changed a conversation.
struct ConsoleEvent: Sendable, Hashable, Encodable {
    enum Kind: String, Sendable, Hashable, Encodable {
        case message, handoff, status, conversation
    }

    var type: Kind
    /// The conversation it concerns; nil for delivery receipts, which may concern any.
    var conversationID: ConversationID?
    /// For a hand-off: who asked and why, for a browser notification.
    var customer: String?
    var reason: String?

    init(type: Kind, conversationID: ConversationID?, customer: String? = nil, reason: String? = nil) {
        self.type = type
        self.conversationID = conversationID
        self.customer = customer
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case type, customer, reason
        case conversationID = "conversation_id"
    }
}

/// Fans console events out to every open console (Server-Sent Events); a slow console loses the oldest
/// events rather than holding anyone up.
final class ConsoleFeed: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<ConsoleEvent>.Continuation]>([:])
    /// Events one console may have waiting before the oldest are dropped.
    static let backlog = 256

    /// Tells every open console.
    func publish(_ event: ConsoleEvent) {
        subscribers.withLock { subscribers in
            for continuation in subscribers.values { continuation.yield(event) }
        }
    }

    /// A stream of the events from now on, ending when the subscriber stops reading.
    func subscribe() -> AsyncStream<ConsoleEvent> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: ConsoleEvent.self, bufferingPolicy: .bufferingNewest(Self.backlog))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

}
