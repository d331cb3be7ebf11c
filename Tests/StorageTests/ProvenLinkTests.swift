import ChatModel
import Foundation
import Storage
import TestSupport
import Testing

/// Links the customer proved (a verified phone or address, an order verified with a contact) share what the
/// agents know across channels; a link an operator made does not.
@Suite("Proven links between a customer's channels")
struct ProvenLinkTests {
    /// A turn of `user` on `channel` that remembers `orders` verified with `contact` (nil: verifies nothing).
    @discardableResult
    static func turn(_ store: SQLStore, _ channel: Channel, _ user: String, _ id: String, verifies orders: [String] = [], with contact: String? = nil)
        async throws -> ConversationState
    {
        let key = ConversationKey(channel: channel, accountID: "A", userID: user)
        let outcome = try await store.accept([InboundEvent(conversation: key, platformID: id, timestamp: Date(), content: .text("rendelés"))], receivedAt: Date())
        let conversation = try #require(outcome.conversationsToRun.first)
        let pending = try #require(try await store.nextPendingEvent(conversationID: conversation))
        let state = try await store.conversationState(for: pending, historyLimit: 10)
        var memory = state.memory
        if let contact {
            memory.verification = contact
            memory.verifiedOrders += orders
        }
        try await store.complete(pending, locale: .hu, outbound: [], effects: TurnEffects(memory: memory), failure: nil, at: Date())
        return state
    }

    @Test("an order verified on WhatsApp is known to the same person's e-mail and widget; not to a participant an operator linked", arguments: TestDatabase.engines)
    func sharing(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            // On WhatsApp the customer verifies order 1042 with their address: the address is now theirs.
            try await Self.turn(store, .whatsapp, "36301234567", "w1", verifies: ["1042"], with: "Eva@Example.hu")
            let customer = try #require(try await store.customers(matching: "36301234567", before: nil, limit: 5).items.first)
            #expect(customer.email == "eva@example.hu")

            // Mail from that address is the same customer, and knows the order.
            let mail = try await Self.turn(store, .email, "eva@example.hu", "e1")
            #expect(mail.memory.verifiedOrders == ["1042"] && mail.memory.verification == "Eva@Example.hu")
            #expect(try await store.customers(matching: "eva@example", before: nil, limit: 5).items.map(\.id) == [customer.id])

            // A widget visitor knows nothing until they verify an order with that address; then they are that customer.
            let before = try await Self.turn(store, .widget, "sess-abcdef01", "v1")
            #expect(before.memory.verifiedOrders.isEmpty)
            try await Self.turn(store, .widget, "sess-abcdef01", "v2", verifies: ["2000"], with: "eva@example.hu")
            let widget = try await Self.turn(store, .widget, "sess-abcdef01", "v3")
            #expect(Set(widget.memory.verifiedOrders) == ["1042", "2000"])
            #expect(try await store.customer(customer.id)?.identities.map(\.channel) == ["whatsapp", "email", "widget"])
            // And WhatsApp now knows the order verified on the widget.
            #expect(Set(try await Self.turn(store, .whatsapp, "36301234567", "w2").memory.verifiedOrders) == ["1042", "2000"])

            // An operator puts a Messenger user with the customer: the agents share nothing across that link.
            try await Self.turn(store, .messenger, "PSID-9", "m1", verifies: ["3000"], with: "+36 70 111 2222")
            let messenger = try #require(try await store.customers(matching: "PSID-9", before: nil, limit: 5).items.first)
            #expect(try await store.linkCustomers(customer.id, absorbing: messenger.id, at: Date()))
            #expect(try await Self.turn(store, .messenger, "PSID-9", "m2").memory.verifiedOrders == ["3000"])
            #expect(!(try await Self.turn(store, .email, "eva@example.hu", "e2").memory.verifiedOrders.contains("3000")))
        }
    }
}
