import ChatModel
import Foundation
import Storage
import TestSupport
import Testing

/// Erasing a customer removes every row of their data, and on SQLite their words from the files' bytes too.
@Suite("Erasure")
struct ErasureTests {
    /// Two customers, each with a conversation touching every table of personal data; `phrase` is in all of
    /// the first one's words. Returns the first customer's id and the second's conversation key.
    static func seed(_ store: SQLStore, phrase: String) async throws -> (CustomerID, ConversationKey) {
        let first = ConversationKey(channel: .sms, accountID: "A", userID: "+36301234567")
        let second = ConversationKey(channel: .sms, accountID: "A", userID: "+36309999999")
        try await store.recordLinks(["TRACK001": "https://bolt.example.hu/track/\(phrase)", "SHARED01": "https://bolt.example.hu/p/bogre"], at: Date())
        for (index, key) in [first, second].enumerated() {
            let words = index == 0 ? phrase : "másik vásárló"
            let outcome = try await store.accept(
                [InboundEvent(conversation: key, platformID: "in-\(index)", timestamp: Date(), content: .text("Hol a csomagom? \(words)"))],
                receivedAt: Date())
            let id = try #require(outcome.conversationsToRun.first)
            let pending = try #require(try await store.nextPendingEvent(conversationID: id))
            let links = index == 0 ? "/l/TRACK001 /l/SHARED01" : "/l/SHARED01"
            let reply = OutboundDraft(kind: "text", text: "Válasz: \(words)", payload: #"{"text":"Válasz: \#(words) \#(links)"}"#, idempotencyKey: "k\(index)")
            try await store.complete(pending, locale: nil, outbound: [reply], effects: TurnEffects(handoffReason: "ember kell: \(words)"), failure: nil, at: Date())
            _ = try await store.addNote(conversationID: id, author: "Kata", text: "visszahívni: \(words)", at: Date())
            try await store.audit(.takeOver, by: "Kata", conversationID: id, detail: "Kata", at: Date())
            _ = try await store.setConsent(key, topic: .newsletter, granted: true, at: Date())
            _ = try await store.recordVerificationFailure(subjects: ["requester:sms:\(key.userID)"], policy: VerificationPolicy(), now: Date())
            try await store.enqueueJobs([JobDraft(kind: "notify", payload: #"{"conversation_id":\#(id.rawValue),"reason":"\#(words)"}"#, runAt: Date())], at: Date())
            _ = try await store.recordShopEvent(ShopEventRecord(
                id: "cart-\(index)", type: "cart_updated", body: #"{"note":"\#(words)"}"#, customer: ["phone": key.userID], receivedAt: Date()))
            let customer = try #require(try await store.customerID(of: id))
            let reminder = ProactiveDecision(purpose: "abandoned_cart", reference: "cart:erase-\(index)", customerID: customer, outcome: "sent")
            #expect(try await store.recordProactive(reminder, drafts: [], to: nil, cap: nil, at: Date()) == .recorded)
        }
        let conversation = try #require(try await store.conversations(channel: "sms", mode: nil, before: nil, limit: 10).items.first { $0.userID == first.userID })
        return (try #require(try await store.customerID(of: conversation.id)), second)
    }

    @Test("every row of the customer goes, with the short links only they were sent; the other customer keeps everything", arguments: TestDatabase.engines)
    func erase(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let phrase = "zebra-\(UUID().uuidString.prefix(8))"
            let (id, other) = try await Self.seed(store, phrase: phrase)
            let otherID = try #require(try await store.customers(matching: other.userID, before: nil, limit: 5).items.first?.id)
            let before = try #require(try await store.exportCustomer(otherID, at: Date()))

            let erased = try #require(try await store.eraseCustomer(id, shortLinkPath: "/l", at: Date()))
            #expect(erased.conversations == 1 && erased.messages == 2 && erased.shortLinks == 1)
            #expect(try await store.customer(id) == nil)
            #expect(try await store.exportCustomer(id, at: Date()) == nil)
            #expect(try await store.eraseCustomer(id, shortLinkPath: "/l", at: Date()) == nil)
            #expect(try await store.link(code: "TRACK001") == nil)
            // The decisions about them go too (a reminder of the same cart could be decided anew).
            let again = ProactiveDecision(purpose: "abandoned_cart", reference: "cart:erase-0", customerID: nil, outcome: "sent")
            #expect(try await store.recordProactive(again, drafts: [], to: nil, cap: nil, at: Date()) == .recorded)
            #expect(try await store.link(code: "SHARED01") == "https://bolt.example.hu/p/bogre", "another customer was sent it")
            // Operators' actions stay on record, without whom they were for.
            let audit = try await store.auditLog(before: nil, limit: 10).items
            #expect(audit.count == 2 && audit.filter { $0.conversationID == nil && $0.detail == nil }.count == 1)
            // The other customer's data is untouched, row for row.
            let after = try #require(try await store.exportCustomer(otherID, at: Date()))
            #expect(after.tables == before.tables)
            #expect(!"\(after.tables)".contains(phrase))
        }
    }

    @Test("on SQLite the erased words are gone from the database file and its log, byte for byte")
    func sqliteBytes() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatbuddy-erase-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("gateway.sqlite").path
        let store = try await SQLStore.open(url: "sqlite:" + path, logger: TestDatabase.logger)
        let pool = Task { await store.run() }
        defer { pool.cancel() }
        try await store.migrate()
        let phrase = "zebra-\(UUID().uuidString)"
        let (id, _) = try await Self.seed(store, phrase: phrase)
        func filesHold(_ text: String) throws -> Bool {
            let needle = Data(text.utf8)
            for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
                if try Data(contentsOf: URL(fileURLWithPath: file)).range(of: needle) != nil { return true }
            }
            return false
        }
        #expect(try filesHold(phrase), "stored first")
        _ = try #require(try await store.eraseCustomer(id, shortLinkPath: "/l", at: Date()))
        #expect(try !filesHold(phrase))
        #expect(try filesHold("másik vásárló"), "the other customer's words are still there")
        try await store.close()
    }
}
