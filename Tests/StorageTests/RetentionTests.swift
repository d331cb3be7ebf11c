import ChatModel
import Foundation
import Storage
import TestSupport
import Testing

/// The retention policy, applied with a fixed clock.
@Suite("Retention")
struct RetentionTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    static func day(_ number: Double) -> Date { start.addingTimeInterval(number * 86_400) }

    /// Stores `content` from `user` on `channel` at `date`, answered with one reply sent then.
    static func converse(_ store: SQLStore, _ channel: Channel, _ user: String, _ content: InboundContent, at date: Date) async throws {
        let key = ConversationKey(channel: channel, accountID: "A", userID: user)
        let outcome = try await store.accept([InboundEvent(conversation: key, platformID: "\(user)-\(date.timeIntervalSince1970)", timestamp: date, content: content)], receivedAt: date)
        let id = try #require(outcome.conversationsToRun.first)
        let pending = try #require(try await store.nextPendingEvent(conversationID: id))
        try await store.complete(pending, locale: nil, outbound: StoreTests.drafts("Szia \(user)", key: user), effects: TurnEffects(), failure: nil, at: date)
        for row in try await store.claimOutbox(now: date, limit: 10, claimant: "W", lease: .seconds(30)) {
            try await store.markSent(row, platformMessageID: "mid-\(row.id.rawValue)", at: date)
        }
    }

    @Test("old conversations, silent widget sessions and delivered outbox rows go, in batches; opt-outs and recent ones stay", arguments: TestDatabase.engines)
    func retention(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            try await Self.converse(store, .messenger, "U-old", .text("régi"), at: Self.day(0))
            try await Self.converse(store, .messenger, "U-new", .text("új"), at: Self.day(300))
            try await Self.converse(store, .widget, "W-silent", .referral(Referral(ref: "tavasz", source: "ADS")), at: Self.day(300))
            try await Self.converse(store, .widget, "W-wrote", .text("kérdés"), at: Self.day(300))
            try await Self.converse(store, .sms, "+36301234567", .text("STOP"), at: Self.day(0))
            try await store.setOptedOut(ConversationKey(channel: .sms, accountID: "A", userID: "+36301234567"), true, at: Self.day(0))

            var policy = RetentionPolicy(conversations: .seconds(365 * 86_400), silentWidgetSessions: .seconds(30 * 86_400), deliveredPayloads: .seconds(30 * 86_400))
            policy.batchSize = 1
            // Nothing is old enough yet on day 200 but the first conversations' delivered rows.
            let early = try await store.applyRetention(policy, now: Self.day(200))
            #expect(early.conversations == 0 && early.silentWidgetSessions == 0 && early.deliveredPayloads == 2)

            let outcome = try await store.applyRetention(policy, now: Self.day(366))
            #expect(outcome.conversations == 2, "the messenger and SMS conversations of day 0")
            #expect(outcome.silentWidgetSessions == 1)
            #expect(outcome.deliveredPayloads == 2, "the replies to U-new and W-wrote; the silent session's went with it")
            #expect(outcome.participants == 2 && outcome.customers == 2, "the opted-out number is kept, as proof of the opt-out")
            let left = try await store.conversations(channel: nil, mode: nil, before: nil, limit: 10).items.map(\.userID).sorted()
            #expect(left == ["U-new", "W-wrote"])
            #expect(try await store.customers(matching: "+36 30 123 4567", before: nil, limit: 5).items.count == 1)
            #expect(try await store.customers(matching: "U-old", before: nil, limit: 5).items.isEmpty)
            // Applied again, nothing more goes.
            #expect(try await store.applyRetention(policy, now: Self.day(366)) == RetentionOutcome())
        }
    }
}
