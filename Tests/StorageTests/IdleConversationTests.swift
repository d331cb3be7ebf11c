import ChatModel
import Foundation
import Storage
import TestSupport
import Testing

/// Idle widget conversations with a fixed clock: which are quiet enough for a nudge, one nudge per
/// silence, and closing.
@Suite("Idle widget conversations")
struct IdleConversationTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    static func key(_ session: String) -> ConversationKey {
        ConversationKey(channel: .widget, accountID: "web", userID: session)
    }

    /// The customer writes at `date` and is answered then; returns the conversation.
    @discardableResult
    static func exchange(_ store: SQLStore, _ session: String, _ id: String, at date: Date) async throws -> ConversationID {
        let outcome = try await store.accept([InboundEvent(conversation: key(session), platformID: id, timestamp: date, content: .text("szia"))], receivedAt: date)
        let conversation = try #require(outcome.conversationsToRun.first)
        let pending = try #require(try await store.nextPendingEvent(conversationID: conversation))
        try await store.complete(pending, locale: .hu, outbound: StoreTests.drafts("Szia!", key: id), effects: TurnEffects(), failure: nil, at: date)
        return conversation
    }

    @Test("quiet after our answer: one nudge per silence, none after a nudge, another after the customer wrote again", arguments: TestDatabase.engines)
    func nudges(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let conversation = try await Self.exchange(store, "quiet-1", "q1", at: Self.start)
            func quiet(at seconds: Double, users: [String] = ["quiet-1"]) async throws -> [SilentConversation] {
                try await store.silentConversations(.widget, account: "web", users: users, answeredBefore: Self.start.addingTimeInterval(seconds))
            }
            #expect(try await quiet(at: 0).isEmpty, "not quiet yet")
            #expect(try await quiet(at: 10, users: ["someone-else"]).isEmpty, "only the sessions connected now")
            let found = try await quiet(at: 10)
            #expect(found.map(\.conversationID) == [conversation] && found.first?.locale == .hu)
            let silence = try #require(found.first)
            let nudge = OutboundDraft(kind: SilentConversation.nudgeKind, text: "Segíthetek még?", payload: "{}", idempotencyKey: "nudge:\(silence.lastMessageID.rawValue)")
            #expect(try await store.enqueueOnce(nudge, conversationID: conversation, key: silence.key, at: Self.start.addingTimeInterval(10)))
            #expect(try await !store.enqueueOnce(nudge, conversationID: conversation, key: silence.key, at: Self.start.addingTimeInterval(11)), "once across gateways")
            #expect(try await quiet(at: 100).isEmpty, "a nudge is not nudged")
            try await Self.exchange(store, "quiet-1", "q2", at: Self.start.addingTimeInterval(200))
            #expect(try await quiet(at: 300).first?.lastMessageID != silence.lastMessageID, "a new silence")
        }
    }

    @Test("idle conversations close; the session's next message opens a new one that resumes the closed", arguments: TestDatabase.engines)
    func closing(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let old = try await Self.exchange(store, "idle-1", "i1", at: Self.start)
            try await Self.exchange(store, "busy-1", "b1", at: Self.start.addingTimeInterval(1000))
            // A message waiting to be handled keeps its conversation open, however old.
            _ = try await store.accept([InboundEvent(conversation: Self.key("waiting-1"), platformID: "w1", timestamp: Self.start, content: .text("hahó"))], receivedAt: Self.start)
            #expect(try await store.closeIdleConversations(.widget, idleSince: Self.start, limit: 10, at: Self.start) == 0)
            let later = Self.start.addingTimeInterval(900)
            #expect(try await store.closeIdleConversations(.widget, idleSince: later, limit: 10, at: later) == 1)
            #expect(try await store.closeIdleConversations(.widget, idleSince: later, limit: 10, at: later) == 0, "closed once")
            let users = try await store.conversations(channel: "widget", mode: nil, before: nil, limit: 10).items.map(\.userID)
            #expect(users.contains("idle-1#\(old.rawValue)") && users.contains("busy-1") && users.contains("waiting-1"))

            let outcome = try await store.accept(
                [InboundEvent(conversation: Self.key("idle-1"), platformID: "i2", timestamp: later, content: .text("megint itt"))], receivedAt: later)
            let new = try #require(outcome.conversationsToRun.first)
            #expect(new != old)
            #expect(try await store.resumesClosedConversation(new))
            #expect(try await !store.resumesClosedConversation(try #require(try await store.conversations(channel: "widget", mode: nil, before: nil, limit: 10).items.first { $0.userID == "busy-1" }?.id)))
            let pending = try #require(try await store.nextPendingEvent(conversationID: new))
            try await store.complete(pending, locale: .hu, outbound: StoreTests.drafts("Üdv újra!", key: "i2"), effects: TurnEffects(), failure: nil, at: later)
            #expect(try await !store.resumesClosedConversation(new), "greeted once")
            // Both conversations are the same customer's.
            #expect(try await store.customerID(of: new) == store.customerID(of: old))
        }
    }
}
