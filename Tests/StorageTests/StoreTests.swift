import ChatModel
import Foundation
import Storage
import TestSupport
import Testing

/// One suite, run against every engine (SQLite, and PostgreSQL when available).
@Suite("Store")
struct StoreTests {
    static let page = "P1"

    static func event(_ id: String, user: String = "U1", text: String = "szia", at seconds: Double = 1000) -> InboundEvent {
        InboundEvent(
            conversation: ConversationKey(channel: .messenger, accountID: page, userID: user),
            platformID: id, timestamp: Date(timeIntervalSince1970: seconds), content: .text(text))
    }

    static func drafts(_ texts: String..., key: String) -> [OutboundDraft] {
        texts.enumerated().map { OutboundDraft(kind: "text", text: $1, payload: #"{"text":"\#($1)"}"#, idempotencyKey: "\(key):\($0)") }
    }

    /// Stores one event and takes it from the pending queue, as the runner would.
    static func storeOne(_ store: SQLStore) async throws -> PendingInbound {
        let outcome = try await store.accept([event("m1")], receivedAt: Date())
        let conversationID = try #require(outcome.conversationsToRun.first)
        return try #require(try await store.nextPendingEvent(conversationID: conversationID))
    }

    @Test("migrations are versioned and run once", arguments: TestDatabase.engines)
    func migrations(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            #expect(try await store.migrate() == [])
            try await store.ping()
        }
    }

    @Test("a channel the store has not heard of is kept by its name, in the outbox and the conversation key", arguments: TestDatabase.engines)
    func unknownChannelName(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let pigeon = Channel(rawValue: "pigeon")
            let key = ConversationKey(channel: pigeon, accountID: "loft", userID: "bird-1")
            let event = InboundEvent(conversation: key, platformID: "p1", timestamp: Date(timeIntervalSince1970: 1000), content: .text("szia"))
            let outcome = try await store.accept([event], receivedAt: Date())
            let conversationID = try #require(outcome.conversationsToRun.first)
            let pending = try #require(try await store.nextPendingEvent(conversationID: conversationID))
            try await store.complete(pending, locale: .hu, outbound: Self.drafts("válasz", key: "p1"), failure: nil, at: Date())
            #expect(try await store.conversationKey(id: conversationID) == key)
            let due = try await store.claimOutbox(now: Date(), limit: 5, claimant: "test", lease: .seconds(30))
            #expect(due.map(\.channel) == [pigeon])
        }
    }

    @Test("events are stored once; retries are recognised", arguments: TestDatabase.engines)
    func deduplication(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let first = try await store.accept([Self.event("m1"), Self.event("m2", user: "U2")], receivedAt: Date())
            #expect(first.stored == 2)
            #expect(first.duplicates == 0)
            #expect(first.conversationsToRun.count == 2)
            let retry = try await store.accept([Self.event("m1"), Self.event("m3")], receivedAt: Date())
            #expect(retry.stored == 1)
            #expect(retry.duplicates == 1)
            let page = try await store.conversations(channel: nil, mode: nil, before: nil, limit: 10)
            #expect(page.items.count == 2)
            let u1 = try #require(page.items.first { $0.userID == "U1" })
            let messages = try #require(try await store.messages(conversationID: u1.id, before: nil, limit: 10))
            #expect(messages.items.map(\.platformMessageID) == ["m3", "m1"])
        }
    }

    @Test("pending events come in arrival order, with history and the 24-hour clock", arguments: TestDatabase.engines)
    func pendingOrder(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            _ = try await store.accept([Self.event("a", text: "egy", at: 1000)], receivedAt: Date())
            _ = try await store.accept([Self.event("b", text: "kettő", at: 1001), Self.event("c", text: "három", at: 999)], receivedAt: Date())
            let conversations = try await store.conversationsWithPendingEvents()
            #expect(conversations.count == 1)
            let id = conversations[0]
            var handled: [String] = []
            while let pending = try await store.nextPendingEvent(conversationID: id) {
                let state = try await store.conversationState(for: pending, historyLimit: 10)
                #expect(state.history.compactMap(\.text) == handled.flatMap { [$0, "válasz \($0)"] })
                try await store.complete(
                    pending, locale: .hu, outbound: Self.drafts("válasz \(pending.event.content.text!)", key: pending.event.platformID),
                    failure: nil, at: Date())
                handled.append(pending.event.content.text!)
            }
            #expect(handled == ["egy", "kettő", "három"])
            #expect(try await store.conversationsWithPendingEvents().isEmpty)
            let record = try #require(try await store.conversations(channel: "messenger", mode: .bot, before: nil, limit: 5).items.first)
            #expect(record.locale == "hu")
            // The newest platform timestamp wins, not the newest arrival.
            #expect(record.lastInboundAt == Date(timeIntervalSince1970: 1001))
        }
    }

    @Test("an event is completed once even if two runners race", arguments: TestDatabase.engines)
    func completeOnce(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let pending = try await Self.storeOne(store)
            try await store.complete(pending, locale: nil, outbound: Self.drafts("egyszer", key: "k"), failure: nil, at: Date())
            try await store.complete(pending, locale: nil, outbound: Self.drafts("kétszer", key: "k2"), failure: nil, at: Date())
            #expect(try await store.outboxDepth() == 1)
        }
    }

    @Test("the outbox gives each conversation's oldest row only, and honours retry times", arguments: TestDatabase.engines)
    func outboxOrder(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            _ = try await store.accept([Self.event("a1", user: "A"), Self.event("b1", user: "B")], receivedAt: Date())
            for id in try await store.conversationsWithPendingEvents() {
                let pending = try #require(try await store.nextPendingEvent(conversationID: id))
                try await store.complete(
                    pending, locale: nil, outbound: Self.drafts("\(pending.event.conversation.userID)-1", "\(pending.event.conversation.userID)-2", key: pending.event.platformID),
                    failure: nil, at: Date())
            }
            #expect(try await store.outboxDepth() == 4)
            var due = try await store.claimOutbox(now: Date(), limit: 10, claimant: "test", lease: .seconds(30))
            #expect(due.map(\.payload).sorted() == [#"{"text":"A-1"}"#, #"{"text":"B-1"}"#])
            let a1 = try #require(due.first { $0.recipient == "A" })
            let b1 = try #require(due.first { $0.recipient == "B" })
            try await store.markSent(a1, platformMessageID: "mid.A1", at: Date())
            try await store.scheduleRetry(b1, attempts: 1, at: Date().addingTimeInterval(60), error: "HTTP 503")
            due = try await store.claimOutbox(now: Date(), limit: 10, claimant: "test", lease: .seconds(30))
            // B's second message waits behind its first, which is not due yet.
            #expect(due.map(\.payload) == [#"{"text":"A-2"}"#])
            let next = try #require(try await store.nextOutboxDue())
            #expect(next.timeIntervalSinceNow <= 60)
            due = try await store.claimOutbox(now: Date().addingTimeInterval(61), limit: 10, claimant: "test", lease: .seconds(30))
            #expect(due.map(\.payload).sorted() == [#"{"text":"A-2"}"#, #"{"text":"B-1"}"#])
            #expect(due.first { $0.recipient == "B" }?.attempts == 1)
        }
    }

    @Test("receipts move statuses forward only", arguments: TestDatabase.engines)
    func receipts(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let pending = try await Self.storeOne(store)
            let conversationID = pending.conversationID
            try await store.complete(pending, locale: nil, outbound: Self.drafts("egy", "kettő", key: "k"), failure: nil, at: Date())
            let sentAt = Date(timeIntervalSince1970: 2000)
            for item in try await store.claimOutbox(now: Date(), limit: 10, claimant: "test", lease: .seconds(30)) { try await store.markSent(item, platformMessageID: "mid.1", at: sentAt) }
            for item in try await store.claimOutbox(now: Date(), limit: 10, claimant: "test", lease: .seconds(30)) { try await store.markSent(item, platformMessageID: "mid.2", at: sentAt.addingTimeInterval(5)) }
            let key = Self.event("x").conversation
            func receipt(_ id: String, _ receipt: Receipt) -> InboundEvent {
                InboundEvent(conversation: key, platformID: id, timestamp: Date(), content: .receipt(receipt))
            }
            // Read up to the first message's time, then a late delivery naming both.
            _ = try await store.accept([receipt("r", Receipt(status: .read, watermark: sentAt.addingTimeInterval(1)))], receivedAt: Date())
            let late = try await store.accept([receipt("d", Receipt(status: .delivered, messageIDs: ["mid.1", "mid.2"]))], receivedAt: Date())
            #expect(late.receipts == 1)
            #expect(late.stored == 0)
            let messages = try #require(try await store.messages(conversationID: conversationID, before: nil, limit: 10)).items
            let status = Dictionary(uniqueKeysWithValues: messages.compactMap { m in m.platformMessageID.map { ($0, m.status) } })
            #expect(status["mid.1"] == .read)
            #expect(status["mid.2"] == .delivered)
        }
    }

    @Test("dead letters are listed and can be retried", arguments: TestDatabase.engines)
    func deadLetters(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let pending = try await Self.storeOne(store)
            try await store.complete(pending, locale: nil, outbound: Self.drafts("egy", key: "k"), failure: nil, at: Date())
            let item = try #require(try await store.claimOutbox(now: Date(), limit: 1, claimant: "test", lease: .seconds(30)).first)
            try await store.deadLetter(item, attempts: 3, error: "HTTP 400 code 100", at: Date())
            #expect(try await store.claimOutbox(now: Date(), limit: 1, claimant: "test", lease: .seconds(30)).isEmpty)
            let letters = try await store.deadLetters(before: nil, limit: 10).items
            #expect(letters.map(\.outboxID) == [item.id])
            #expect(letters.first?.lastError == "HTTP 400 code 100")
            #expect(letters.first?.attempts == 3)
            #expect(try await store.retryDeadLetter(outboxID: item.id, at: Date()))
            #expect(try await !store.retryDeadLetter(outboxID: item.id, at: Date()))
            #expect(try await store.claimOutbox(now: Date(), limit: 1, claimant: "test", lease: .seconds(30)).map(\.id) == [item.id])
            #expect(try await store.deadLetters(before: nil, limit: 10).items.isEmpty)
        }
    }

    @Test("conversation pages follow the cursor", arguments: TestDatabase.engines)
    func pagination(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            _ = try await store.accept((1...5).map { Self.event("m\($0)", user: "U\($0)") }, receivedAt: Date())
            let first = try await store.conversations(channel: "messenger", mode: nil, before: nil, limit: 2)
            #expect(first.items.map(\.userID) == ["U5", "U4"])
            let cursor = try #require(first.nextCursor.flatMap { Int64($0) })
            let second = try await store.conversations(channel: "messenger", mode: nil, before: cursor, limit: 2)
            #expect(second.items.map(\.userID) == ["U3", "U2"])
            let last = try await store.conversations(channel: "messenger", mode: nil, before: Int64(second.nextCursor!), limit: 2)
            #expect(last.items.map(\.userID) == ["U1"])
            #expect(last.nextCursor == nil)
            #expect(try await store.conversations(channel: "whatsapp", mode: nil, before: nil, limit: 2).items.isEmpty)
            #expect(try await store.conversations(channel: nil, mode: .human, before: nil, limit: 2).items.isEmpty)
            #expect(try await store.messages(conversationID: ConversationID(999), before: nil, limit: 2) == nil)
        }
    }

    @Test("a failed transaction leaves nothing behind", arguments: TestDatabase.engines)
    func atomicAccept(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            _ = try await store.accept([Self.event("m1")], receivedAt: Date())
            let id = try #require(try await store.conversationsWithPendingEvents().first)
            let pending = try #require(try await store.nextPendingEvent(conversationID: id))
            // Two drafts with the same idempotency key violate the outbox's unique key: all of it rolls back.
            let clash = [OutboundDraft(kind: "text", text: "a", payload: "{}", idempotencyKey: "same"),
                         OutboundDraft(kind: "text", text: "b", payload: "{}", idempotencyKey: "same")]
            await #expect(throws: (any Error).self) {
                try await store.complete(pending, locale: nil, outbound: clash, failure: nil, at: Date())
            }
            #expect(try await store.outboxDepth() == 0)
            #expect(try await store.nextPendingEvent(conversationID: id)?.messageID == pending.messageID)
        }
    }
}
