import ChatModel
import Foundation
import Storage
import TestSupport
import Testing

/// What single channels keep in the store, on every engine: opt-outs, short links, remembered choices, consents.
@Suite("Store: channel state")
struct ChannelStoreTests {
    static let key = ConversationKey(channel: .sms, accountID: "+3617000123", userID: "+36301234567")

    static func text(_ id: String, _ body: String) -> InboundEvent {
        InboundEvent(conversation: key, platformID: id, timestamp: Date(), content: .text(body), senderName: "Éva", subject: "Tárgy")
    }

    @Test("an opt-out suppresses the participant's outbox rows until they opt in; a 21610 receipt opts out", arguments: TestDatabase.engines)
    func optOut(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let outcome = try await store.accept([Self.text("SM1", "Szia")], receivedAt: Date())
            let conversation = try #require(outcome.conversationsToRun.first)
            let pending = try #require(try await store.nextPendingEvent(conversationID: conversation))
            let draft = OutboundDraft(kind: "text", text: "Szia!", payload: "To=%2B36301234567&Body=Szia%21", idempotencyKey: "sms:1:0")
            try await store.complete(pending, locale: .hu, outbound: [draft], effects: TurnEffects(optedOut: true), failure: nil, at: Date())
            #expect(try await store.isOptedOut(Self.key))
            #expect(try await store.claimOutbox(now: Date(), limit: 10, claimant: "test", lease: .seconds(30)).map(\.recipientOptedOut) == [true])
            try await store.setOptedOut(Self.key, false, at: Date())
            #expect(try await !store.isOptedOut(Self.key))
            #expect(try await store.claimOutbox(now: Date(), limit: 10, claimant: "test", lease: .seconds(30)).map(\.recipientOptedOut) == [false])
            let receipt = InboundEvent(
                conversation: Self.key, platformID: "status:SMX:failed", timestamp: Date(),
                content: .receipt(Receipt(status: .failed, messageIDs: ["SMX"], error: "21610", recipientOptedOut: true)))
            _ = try await store.accept([receipt], receivedAt: Date())
            #expect(try await store.isOptedOut(Self.key))
        }
    }

    @Test("the channel's state: stored with a turn, kept apart from the agents' memory, read from that memory before migration 8",
        arguments: TestDatabase.engines)
    func channelState(engine: TestDatabase) async throws {
        let url = try await engine.makeURL()
        let store = try await SQLStore.open(url: url, logger: TestDatabase.logger)
        let pool = Task { await store.run() }
        defer { pool.cancel() }
        try await store.migrate()
        let outcome = try await store.accept([Self.text("SM1", "Szia")], receivedAt: Date())
        let conversation = try #require(outcome.conversationsToRun.first)
        // A conversation whose numbered choices an older release kept in the agents' memory.
        try await TestDatabase.execute(
            [#"UPDATE conversations SET agent_memory = '{"choices":[{"title":"Termékek","payload":"MENU_PRODUCTS"}]}' WHERE id = \#(conversation)"#],
            on: url)
        let first = try #require(try await store.nextPendingEvent(conversationID: conversation))
        let legacy = try await store.conversationState(for: first, historyLimit: 10)
        #expect(legacy.channelState.choices == [QuickReply(title: "Termékek", payload: "MENU_PRODUCTS")])
        let kept = ChannelState(payloads: [.init(reference: "r:1", payload: String(repeating: "ADD_TO_CART:", count: 10))])
        var effects = TurnEffects(memory: ConversationMemory(lastProducts: ["SKU-1"]))
        effects.channelState = kept
        try await store.complete(first, locale: .hu, outbound: [], effects: effects, failure: nil, at: Date())
        _ = try await store.accept([Self.text("SM2", "2")], receivedAt: Date())
        let second = try #require(try await store.nextPendingEvent(conversationID: conversation))
        let state = try await store.conversationState(for: second, historyLimit: 10)
        #expect(state.channelState == kept, "the stored state replaces the old memory's choices")
        #expect(state.memory.lastProducts == ["SKU-1"])
        try await store.close()
    }

    @Test("short links, remembered choices, the last inbound event and consents by address", arguments: TestDatabase.engines)
    func state(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            try await store.recordLinks(["abcd1234": "https://bolt.example.hu/a"], at: Date())
            try await store.recordLinks(["abcd1234": "https://bolt.example.hu/other"], at: Date())
            #expect(try await store.link(code: "abcd1234") == "https://bolt.example.hu/a", "a code keeps its first link")
            #expect(try await store.link(code: "nope") == nil)

            let outcome = try await store.accept([Self.text("SM2", "Szia")], receivedAt: Date())
            let conversation = try #require(outcome.conversationsToRun.first)
            let choices = [QuickReply(title: "Termékek", payload: "MENU_PRODUCTS"), QuickReply(title: "Rendelésem", payload: "MENU_ORDER")]
            try await store.updateChannelState(conversationID: conversation) { state in
                var state = state
                state.choices = choices
                return state
            }
            let pending = try #require(try await store.nextPendingEvent(conversationID: conversation))
            let state = try await store.conversationState(for: pending, historyLimit: 10)
            #expect(state.channelState.choices == choices)
            let last = try #require(try await store.lastInboundEvent(conversationID: conversation))
            #expect(last.subject == "Tárgy" && last.senderName == "Éva" && last.platformID == "SM2")

            #expect(try await store.setConsent(Self.key, topic: .sms, granted: false, at: Date()))
            let consents = try #require(try await store.consents(conversationID: conversation))
            #expect(consents.map(\.topic) == [.sms] && consents.map(\.granted) == [false])
            let stranger = ConversationKey(channel: .email, accountID: "", userID: "nobody@example.hu")
            #expect(try await !store.setConsent(stranger, topic: .newsletter, granted: false, at: Date()))
        }
    }
}
