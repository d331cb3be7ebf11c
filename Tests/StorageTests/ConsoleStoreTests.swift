import ChatModel
import Foundation
import Storage
import TestSupport
import Testing

/// What the operator console reads and changes, and the durable jobs, on every engine.
@Suite("Store: the console's list, assignment, notes and jobs")
struct ConsoleStoreTests {
    static func event(_ id: String, _ channel: Channel, user: String, name: String? = nil, text: String, at seconds: Double) -> InboundEvent {
        InboundEvent(
            conversation: ConversationKey(channel: channel, accountID: "shop", userID: user), platformID: id,
            timestamp: Date(timeIntervalSince1970: seconds), content: .text(text), senderName: name)
    }

    /// Three customers: an SMS one with a name, an e-mail one, and a Messenger one who asks for a person.
    static func seed(_ store: SQLStore) async throws -> (sms: ConversationID, email: ConversationID, messenger: ConversationID) {
        let sms = try #require(try await store.accept(
            [Self.event("s1", .sms, user: "+36301234567", name: "Kovács Anna", text: "Mikor jön a csomag?", at: 1000)],
            receivedAt: Date(timeIntervalSince1970: 1000)).conversationsToRun.first)
        let email = try #require(try await store.accept(
            [Self.event("e1", .email, user: "bela@example.hu", text: "Számlát kérnék 50% kedvezménnyel", at: 2000)],
            receivedAt: Date(timeIntervalSince1970: 2000)).conversationsToRun.first)
        let messenger = try #require(try await store.accept(
            [Self.event("m1", .messenger, user: "PSID-77", text: "Emberrel szeretnék beszélni", at: 3000)],
            receivedAt: Date(timeIntervalSince1970: 3000)).conversationsToRun.first)
        let pending = try #require(try await store.nextPendingEvent(conversationID: messenger))
        var effects = TurnEffects(handoffReason: "Emberrel szeretnék beszélni")
        effects.jobs = [JobDraft(kind: "notify_webhook", payload: #"{"conversation_id":\#(messenger.rawValue)}"#, runAt: Date(timeIntervalSince1970: 3000))]
        try await store.complete(pending, locale: .hu, outbound: [], effects: effects, failure: nil, at: Date(timeIntervalSince1970: 3000))
        return (sms, email, messenger)
    }

    @Test("the list is newest first, with state, unread and last message; filters and search by name, phone, e-mail and text",
        arguments: TestDatabase.engines)
    func inbox(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let ids = try await Self.seed(store)
            let all = try await store.inbox(InboxFilter(), before: nil, limit: 50).items
            #expect(all.map(\.id) == [ids.messenger, ids.email, ids.sms])
            #expect(all.map(\.state) == [.waiting, .bot, .bot])
            #expect(all.first?.handoffReason == "Emberrel szeretnék beszélni")
            #expect(all.last?.lastMessage?.text == "Mikor jön a csomag?" && all.last?.unread == 1)

            func search(_ words: String) async throws -> [ConversationID] {
                try await store.inbox(InboxFilter(search: words), before: nil, limit: 50).items.map(\.id)
            }
            #expect(try await search("kovács") == [ids.sms], "by name, any case")
            #expect(try await search("+36 30 123 4567") == [ids.sms], "by phone, as people write it")
            #expect(try await search("BELA@example") == [ids.email], "by e-mail address")
            #expect(try await search("csomag") == [ids.sms], "by the text of a message")
            #expect(try await search("50%") == [ids.email], "pattern characters are literal")
            #expect(try await search("5_%") == [], "an underscore matches only itself")
            #expect(try await store.inbox(InboxFilter(waiting: true), before: nil, limit: 50).items.map(\.id) == [ids.messenger])
            #expect(try await store.inbox(InboxFilter(channel: "email"), before: nil, limit: 50).items.map(\.id) == [ids.email])

            let page = try await store.inbox(InboxFilter(), before: nil, limit: 2)
            let rest = try await store.inbox(InboxFilter(), before: page.nextCursor, limit: 2)
            #expect(page.items.count == 2 && rest.items.map(\.id) == [ids.sms] && rest.nextCursor == nil)
        }
    }

    @Test("assigning takes the request for the account; read marks clear unread; notes stay internal; release clears the account",
        arguments: TestDatabase.engines)
    func assignmentNotesAndReads(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let ids = try await Self.seed(store)
            let kata = try #require(try await store.addOperator(
                email: "kata@bolt.example.hu", name: "Kata", role: .operator, passwordHash: "x", at: Date()))
            #expect(try await store.assign(conversationID: ids.messenger, to: kata, at: Date()))
            #expect(try await store.assign(conversationID: ConversationID(9999), to: kata, at: Date()) == false)
            let mine = try await store.inbox(InboxFilter(assignedTo: kata.id), before: nil, limit: 50).items
            #expect(mine.map(\.id) == [ids.messenger] && mine.first?.state == .human && mine.first?.operatorName == "Kata")
            #expect(try await store.handoffs(state: .taken, before: nil, limit: 5).items.first?.operatorName == "Kata")

            #expect(try await store.markSeen(conversationID: ids.messenger, at: Date()))
            #expect(try await store.conversationDetail(id: ids.messenger)?.conversation.unread == 0)
            let note = try #require(try await store.addNote(conversationID: ids.messenger, author: "kata@bolt.example.hu", text: "VIP vevő", at: Date()))
            #expect(try await store.addNote(conversationID: ConversationID(9999), author: "x", text: "y", at: Date()) == nil)
            let detail = try #require(try await store.conversationDetail(id: ids.messenger))
            #expect(detail.notes == [note] && detail.optedOut == false)
            let transcript = try await store.transcript(ConversationKey(channel: .messenger, accountID: "shop", userID: "PSID-77"), limit: 50)
            #expect(!transcript.contains { $0.text == "VIP vevő" }, "a note is never part of what the customer sees")

            #expect(try await store.handBack(conversationID: ids.messenger, at: Date()))
            let released = try #require(try await store.conversationDetail(id: ids.messenger)).conversation
            #expect(released.state == .bot && released.operatorID == nil)
        }
    }

    @Test("a job stored with a turn is claimed once while leased, again after its lease runs out, and retried or given up",
        arguments: TestDatabase.engines)
    func jobs(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            _ = try await Self.seed(store)
            let now = Date(timeIntervalSince1970: 4000)
            let claimed = try await store.claimJobs(now: now, lease: .seconds(60), limit: 10)
            #expect(claimed.map(\.kind) == ["notify_webhook"] && claimed.first?.attempts == 1)
            #expect(try await store.claimJobs(now: now.addingTimeInterval(30), lease: .seconds(60), limit: 10).isEmpty, "leased")
            let again = try await store.claimJobs(now: now.addingTimeInterval(61), lease: .seconds(60), limit: 10)
            #expect(again.map(\.id) == claimed.map(\.id) && again.first?.attempts == 2, "a dead worker's job is taken over")
            let job = try #require(again.first)
            try await store.retryJob(job.id, runAt: now.addingTimeInterval(200), error: "503", at: now.addingTimeInterval(61))
            #expect(try await store.claimJobs(now: now.addingTimeInterval(100), lease: .seconds(60), limit: 10).isEmpty, "not yet due")
            #expect(try await store.nextJobDue() == now.addingTimeInterval(200))
            try await store.finishJob(job.id, at: now.addingTimeInterval(201))
            #expect(try await store.claimJobs(now: now.addingTimeInterval(300), lease: .seconds(60), limit: 10).isEmpty)
            #expect(try await store.nextJobDue() == nil)
        }
    }
}
