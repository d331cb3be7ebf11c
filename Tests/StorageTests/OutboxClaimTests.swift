import ChatModel
import Foundation
import Logging
import Storage
import TestSupport
import Testing

/// Outbox rows are claimed with a lease: gateways sharing a database send each row once, and the rows of
/// one that died are taken over when its lease runs out.
@Suite("Outbox claims")
struct OutboxClaimTests {
    /// `count` conversations with two replies each waiting in the outbox.
    static func fill(_ store: SQLStore, conversations count: Int) async throws {
        let events = (0..<count).map { StoreTests.event("m\($0)", user: "U\($0)") }
        _ = try await store.accept(events, receivedAt: Date())
        for id in try await store.conversationsWithPendingEvents() {
            let pending = try #require(try await store.nextPendingEvent(conversationID: id))
            let user = pending.event.conversation.userID
            try await store.complete(pending, locale: nil, outbound: StoreTests.drafts("\(user)-1", "\(user)-2", key: user), failure: nil, at: Date())
        }
    }

    @Test("a claimed row is its claimant's until the lease runs out; its claimant gets it again; a retry frees it", arguments: TestDatabase.engines)
    func lease(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            try await Self.fill(store, conversations: 2)
            let now = Date()
            let first = try await store.claimOutbox(now: now, limit: 10, claimant: "A", lease: .seconds(30))
            #expect(first.map(\.payload).sorted() == [#"{"text":"U0-1"}"#, #"{"text":"U1-1"}"#])
            #expect(try await store.claimOutbox(now: now, limit: 10, claimant: "B", lease: .seconds(30)).isEmpty, "held by A; the second rows wait behind")
            #expect(try await store.claimOutbox(now: now, limit: 10, claimant: "A", lease: .seconds(30)).map(\.id).sorted() == first.map(\.id).sorted())
            // A sends one; the other one's retry is due at once: it is free for anyone.
            try await store.markSent(first[0], platformMessageID: "mid", at: now)
            try await store.scheduleRetry(first[1], attempts: 1, at: now, error: "HTTP 503")
            let taken = try await store.claimOutbox(now: now, limit: 10, claimant: "B", lease: .seconds(30))
            #expect(taken.count == 2, "the retried row and the sent row's successor")
            #expect(try await store.claimOutbox(now: now, limit: 10, claimant: "A", lease: .seconds(30)).isEmpty)
            // B dies: when its lease has run out, A takes its rows over, and the next wake-up is that moment.
            let due = try #require(try await store.nextOutboxDue())
            #expect(abs(due.timeIntervalSince(now) - 30) < 1)
            let later = now.addingTimeInterval(31)
            #expect(try await store.claimOutbox(now: later, limit: 10, claimant: "A", lease: .seconds(30)).map(\.id).sorted() == taken.map(\.id).sorted())
            // The only gateway of a database, starting, frees the claims it finds at once.
            #expect(try await store.releaseClaims(of: "B") == 0, "B lost them to A")
            #expect(try await store.releaseClaims(of: nil) == 2)
            #expect(try await store.claimOutbox(now: later, limit: 10, claimant: "C", lease: .seconds(30)).count == 2)
        }
    }

    @Test("a conversation is handled by one claimant at a time: renewed by it, released by it, taken over when its lease ran out", arguments: TestDatabase.engines)
    func conversations(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let id = try #require(try await store.accept([StoreTests.event("c1")], receivedAt: Date()).conversationsToRun.first)
            let now = Date()
            #expect(try await store.claimConversation(id, claimant: "A", lease: .seconds(60), at: now))
            #expect(try await !store.claimConversation(id, claimant: "B", lease: .seconds(60), at: now))
            #expect(try await store.claimConversation(id, claimant: "A", lease: .seconds(60), at: now.addingTimeInterval(30)), "renewed")
            #expect(try await !store.claimConversation(id, claimant: "B", lease: .seconds(60), at: now.addingTimeInterval(70)), "the renewal counts from its time")
            try await store.releaseConversation(id, claimant: "B")
            #expect(try await !store.claimConversation(id, claimant: "B", lease: .seconds(60), at: now), "only its claimant releases it")
            try await store.releaseConversation(id, claimant: "A")
            #expect(try await store.claimConversation(id, claimant: "B", lease: .seconds(60), at: now))
            #expect(try await store.claimConversation(id, claimant: "A", lease: .seconds(60), at: now.addingTimeInterval(61)), "B's lease ran out")
            #expect(try await store.releaseClaims(of: "A") == 1)
        }
    }

    @Test("releasing a conversation tells whether its events still wait", arguments: TestDatabase.engines)
    func releaseTellsPending(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let id = try #require(try await store.accept([StoreTests.event("r1")], receivedAt: Date()).conversationsToRun.first)
            #expect(try await store.claimConversation(id, claimant: "A", lease: .seconds(60), at: Date()))
            #expect(try await store.releaseConversation(id, claimant: "A"), "its event is not handled yet")
            let pending = try #require(try await store.nextPendingEvent(conversationID: id))
            try await store.complete(pending, locale: nil, outbound: [], effects: TurnEffects(), failure: nil, at: Date())
            #expect(try await store.claimConversation(id, claimant: "A", lease: .seconds(60), at: Date()))
            #expect(try await !store.releaseConversation(id, claimant: "A"), "nothing waits")
            #expect(try await !store.releaseConversation(id, claimant: "A"), "not held: nothing to tell")
        }
    }

    @Test("gateways claiming at once on one PostgreSQL never share a row", arguments: TestDatabase.engines.filter { $0 == .postgres })
    func concurrentClaimants(engine: TestDatabase) async throws {
        let url = try await engine.makeURL()
        let stores = try await (0..<3).asyncMap { _ in try await SQLStore.open(url: url, logger: Logger(label: "claims")) }
        let pools = stores.map { store in Task { await store.run() } }
        defer { pools.forEach { $0.cancel() } }
        try await stores[0].migrate()
        try await Self.fill(stores[0], conversations: 60)
        // Each gateway claims, "sends" (marks sent) and claims again until nothing is left.
        let sent = try await withThrowingTaskGroup(of: [OutboxID].self) { group in
            for (number, store) in stores.enumerated() {
                group.addTask {
                    var mine: [OutboxID] = []
                    while true {
                        let claimed = try await store.claimOutbox(now: Date(), limit: 8, claimant: "gateway-\(number)", lease: .seconds(30))
                        if claimed.isEmpty, try await store.outboxDepth() == 0 { break }
                        for item in claimed {
                            mine.append(item.id)
                            try await store.markSent(item, platformMessageID: "mid-\(item.id)", at: Date())
                        }
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [OutboxID]()) { $0 += $1 }
        }
        #expect(sent.count == 120, "every row sent")
        #expect(Set(sent).count == sent.count, "no row sent twice")
        for store in stores { try await store.close() }
    }
}
