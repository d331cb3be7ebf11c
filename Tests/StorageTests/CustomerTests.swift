import ChatModel
import Foundation
import Storage
import TestSupport
import Testing

/// Customers: one person's participants on every channel, linked by what the platforms verified or by an
/// operator, found by search, and exported whole.
@Suite("Customers")
struct CustomerTests {
    static func event(_ channel: Channel, _ user: String, _ id: String, name: String? = nil, text: String = "szia") -> InboundEvent {
        InboundEvent(
            conversation: ConversationKey(channel: channel, accountID: "A", userID: user), platformID: id,
            timestamp: Date(timeIntervalSince1970: 1000), content: .text(text), senderName: name)
    }

    /// The customer of the conversation a stored event belongs to.
    static func customer(of event: InboundEvent, in store: SQLStore) async throws -> CustomerRecord {
        _ = try await store.accept([event], receivedAt: Date())
        let conversation = try #require(try await store.conversations(channel: event.channel.rawValue, mode: nil, before: nil, limit: 50)
            .items.first { $0.userID == event.conversation.userID })
        let id = try #require(try await store.customerID(of: conversation.id))
        return try #require(try await store.customer(id))
    }

    @Test("a phone number's SMS and WhatsApp are one customer; e-mail addresses match in any case; other channels stand alone", arguments: TestDatabase.engines)
    func linkedByVerifiedIdentity(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let sms = try await Self.customer(of: Self.event(.sms, "+36301234567", "s1", name: nil), in: store)
            #expect(sms.phone == "+36301234567" && sms.email == nil)
            let whatsapp = try await Self.customer(of: Self.event(.whatsapp, "36301234567", "w1", name: "Kovács Éva"), in: store)
            #expect(whatsapp.id == sms.id)
            #expect(whatsapp.identities.map(\.channel) == ["sms", "whatsapp"])
            #expect(whatsapp.displayName == "Kovács Éva", "a name any identity gave")
            let mail = try await Self.customer(of: Self.event(.email, "Eva.Kovacs@Example.hu", "e1"), in: store)
            #expect(mail.id != sms.id && mail.email == "eva.kovacs@example.hu")
            #expect(try await Self.customer(of: Self.event(.email, "eva.kovacs@example.hu", "e2"), in: store).id == mail.id)
            let messenger = try await Self.customer(of: Self.event(.messenger, "PSID-1", "m1", name: "Kovács Éva"), in: store)
            #expect(messenger.id != sms.id && messenger.id != mail.id && messenger.phone == nil && messenger.email == nil)
            // A second message of a known participant changes nothing.
            #expect(try await Self.customer(of: Self.event(.whatsapp, "36301234567", "w2"), in: store).identities.count == 2)
        }
    }

    @Test("search by name, phone digits, address or platform id; an operator links two customers and unlinks one identity", arguments: TestDatabase.engines)
    func searchLinkAndUnlink(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let phone = try await Self.customer(of: Self.event(.sms, "+36301234567", "s1"), in: store)
            let messenger = try await Self.customer(of: Self.event(.messenger, "PSID-77", "m1", name: "Nagy Péter"), in: store)
            let mail = try await Self.customer(of: Self.event(.email, "peter@example.hu", "e1"), in: store)
            func found(_ text: String) async throws -> [CustomerID] {
                try await store.customers(matching: text, before: nil, limit: 10).items.map(\.id)
            }
            #expect(try await found("nagy") == [messenger.id])
            #expect(try await found("+36 30 123") == [phone.id])
            #expect(try await found("PETER@example") == [mail.id])
            #expect(try await found("psid-77") == [messenger.id])
            #expect(try await found("100%_") == [])
            #expect(try await store.customers(matching: nil, before: nil, limit: 2).nextCursor != nil)

            // The operator knows the Messenger user and the address are one person.
            #expect(try await store.linkCustomers(messenger.id, absorbing: mail.id, at: Date()))
            let linked = try #require(try await store.customer(messenger.id))
            #expect(linked.identities.map(\.channel) == ["messenger", "email"] && linked.email == "peter@example.hu")
            #expect(try await store.customer(mail.id) == nil)
            #expect(try await !store.linkCustomers(messenger.id, absorbing: mail.id, at: Date()), "gone")
            #expect(try await !store.linkCustomers(messenger.id, absorbing: messenger.id, at: Date()))
            // And takes it back: the address is a customer of its own again, with its address.
            let emailIdentity = try #require(linked.identities.first { $0.channel == "email" })
            let split = try #require(try await store.unlinkParticipant(emailIdentity.participantID, from: messenger.id, at: Date()))
            #expect(try await store.customer(split)?.email == "peter@example.hu")
            #expect(try await store.customer(messenger.id)?.email == nil)
            let alone = try #require(try await store.customer(messenger.id)?.identities.first)
            #expect(try await store.unlinkParticipant(alone.participantID, from: messenger.id, at: Date()) == nil, "the last identity stays")
        }
    }

    @Test("the export holds every row of every table with the customer's data, and nobody else's; every table is classified", arguments: TestDatabase.engines)
    func export(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            // Every table the schema has is either exported or said to hold no customer's data.
            #expect(try await store.tables() == PersonalData.tables.map(\.name).sorted())

            let key = ConversationKey(channel: .sms, accountID: "A", userID: "+36301234567")
            let other = ConversationKey(channel: .sms, accountID: "A", userID: "+36309999999")
            for (index, conversation) in [key, other].enumerated() {
                let outcome = try await store.accept(
                    [InboundEvent(conversation: conversation, platformID: "in-\(index)", timestamp: Date(), content: .text("Hol a csomagom? \(index)"))],
                    receivedAt: Date())
                let id = try #require(outcome.conversationsToRun.first)
                let pending = try #require(try await store.nextPendingEvent(conversationID: id))
                try await store.complete(
                    pending, locale: nil, outbound: StoreTests.drafts("Válasz \(index)", key: "k\(index)"),
                    effects: TurnEffects(handoffReason: "emberrel beszélnék \(index)"), failure: nil, at: Date())
                _ = try await store.addNote(conversationID: id, author: "Kata", text: "visszahívni \(index)", at: Date())
                try await store.audit(.takeOver, by: "Kata", conversationID: id, detail: nil, at: Date())
                _ = try await store.setConsent(conversation, topic: .newsletter, granted: true, at: Date())
                _ = try await store.recordVerificationFailure(subjects: ["requester:sms:\(conversation.userID)"], policy: VerificationPolicy(), now: Date())
                try await store.enqueueJobs([JobDraft(kind: "notify", payload: #"{"conversation_id":\#(id.rawValue),"reason":"r"}"#, runAt: Date())], at: Date())
                _ = try await store.recordShopEvent(ShopEventRecord(
                    id: "cart-\(index)", type: "cart_updated", body: #"{"cart_id":"k\#(index)"}"#, customer: ["phone": conversation.userID], receivedAt: Date()))
                let customer = try #require(try await store.customerID(of: id))
                let reminder = ProactiveDecision(purpose: "abandoned_cart", reference: "cart:k\(index)", customerID: customer, outcome: "sent")
                #expect(try await store.recordProactive(reminder, drafts: [], to: nil, cap: nil, at: Date()) == .recorded)
            }
            let conversation = try #require(try await store.conversations(channel: "sms", mode: nil, before: nil, limit: 10).items.first { $0.userID == key.userID })
            let id = try #require(try await store.customerID(of: conversation.id))
            let export = try #require(try await store.exportCustomer(id, at: Date()))
            #expect(export.customer.phone == key.userID)
            for (name, coverage) in PersonalData.tables {
                guard case .customer = coverage else {
                    #expect(export.tables[name] == nil)
                    continue
                }
                let rows = export.tables[name] ?? []
                #expect(!rows.isEmpty, "\(name) has the customer's rows")
                // Nothing of the other customer: their words, number and conversation never appear.
                let text = "\(rows)"
                #expect(!text.contains("+36309999999") && !text.contains(" 1\"") && !text.contains("\"k1:"), "\(name): \(text)")
            }
            let messages = try #require(export.tables["messages"])
            #expect(messages.contains { $0["text"] == .text("Hol a csomagom? 0") } && messages.contains { $0["text"] == .text("Válasz 0") })
            #expect(try await store.exportCustomer(CustomerID(rawValue: 999_999), at: Date()) == nil)
        }
    }
}
