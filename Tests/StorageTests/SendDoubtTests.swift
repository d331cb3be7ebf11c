import ChatModel
import Foundation
import Storage
import TestSupport
import Testing

/// Claiming a row records that its send may start; a row found so marked under a claim that ended without an
/// outcome is in doubt, and the platform's report naming its key records it as sent.
@Suite("Sends in doubt")
struct SendDoubtTests {
    static func confirmation(_ key: String, mid: String) -> InboundEvent {
        InboundEvent(
            conversation: ConversationKey(channel: .messenger, accountID: StoreTests.page, userID: "U0"), platformID: mid,
            timestamp: Date(), content: .receipt(Receipt(status: .sent, messageIDs: [mid], outboxKey: key)))
    }

    @Test("a claimant that died leaves its rows in doubt since its claim; a stopping one, a retry or a recorded outcome does not", arguments: TestDatabase.engines)
    func doubt(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            try await OutboxClaimTests.fill(store, conversations: 3)
            let start = Date()
            let claimed = try await store.claimOutbox(now: start, limit: 10, claimant: "A", lease: .seconds(30))
            #expect(claimed.count == 3 && claimed.allSatisfy { $0.inDoubtSince == nil })
            // A claims again (rows it skipped): still its own, not in doubt.
            #expect(try await store.claimOutbox(now: start.addingTimeInterval(1), limit: 10, claimant: "A", lease: .seconds(30))
                .allSatisfy { $0.inDoubtSince == nil })
            // A records one retry, then dies; B takes the rest over when the lease has run out.
            try await store.scheduleRetry(claimed[0], attempts: 1, at: start, error: "HTTP 503")
            let later = start.addingTimeInterval(40)
            let taken = try await store.claimOutbox(now: later, limit: 10, claimant: "B", lease: .seconds(30))
            let doubts = Dictionary(uniqueKeysWithValues: taken.map { ($0.id, $0.inDoubtSince) })
            #expect(doubts[claimed[0].id] == .some(nil), "its outcome was recorded")
            for row in claimed.dropFirst() {
                let since = try #require(doubts[row.id] ?? nil)
                #expect(abs(since.timeIntervalSince(start) - 1) < 0.01, "in doubt since A's last claim")
            }
            // B sends the row not in doubt and waits for the others' confirmations: they are free, still in doubt,
            // for whoever claims them when due.
            let waitUntil = later.addingTimeInterval(30)
            for row in taken {
                if row.inDoubtSince == nil {
                    try await store.markSent(row, platformMessageID: "m_0", at: later)
                } else {
                    try await store.awaitConfirmation(row, until: waitUntil, at: later)
                }
            }
            let next = try await store.claimOutbox(now: later.addingTimeInterval(1), limit: 10, claimant: "C", lease: .seconds(30))
            #expect(next.count == 1 && next[0].inDoubtSince == nil, "only the sent row's successor; the others wait")
            try await store.markSent(next[0], platformMessageID: "m_1", at: later)
            let due = try await store.claimOutbox(now: waitUntil, limit: 10, claimant: "C", lease: .seconds(30))
            #expect(due.count == 2 && due.allSatisfy { $0.inDoubtSince != nil }, "still in doubt when the wait is over")
            // C sends one again: that send is the one in doubt from now on.
            let resent = try #require(due.first { $0.inDoubtSince != nil })
            try await store.markSending(resent, at: waitUntil.addingTimeInterval(1))
            // A start after a crash frees every claim and keeps the doubt; a claimant stopping clears its own.
            #expect(try await store.releaseClaims(of: nil) == 2)
            let restarted = try await store.claimOutbox(now: waitUntil.addingTimeInterval(2), limit: 10, claimant: "D", lease: .seconds(30))
            let since = try #require(restarted.first { $0.id == resent.id }?.inDoubtSince)
            #expect(abs(since.timeIntervalSince(waitUntil) - 1) < 0.01)
            #expect(try await store.releaseClaims(of: "D") == 2)
            #expect(try await store.claimOutbox(now: waitUntil.addingTimeInterval(3), limit: 10, claimant: "E", lease: .seconds(30))
                .allSatisfy { $0.inDoubtSince == nil })
        }
    }

    @Test("the platform's report naming a row's key records it as sent, with the platform's id; a report of a sent row or another key changes nothing", arguments: TestDatabase.engines)
    func confirmation(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            try await OutboxClaimTests.fill(store, conversations: 1)
            let now = Date()
            let row = try #require(try await store.claimOutbox(now: now, limit: 10, claimant: "A", lease: .seconds(30)).first)
            #expect(row.idempotencyKey == "U0:0")
            let outcome = try await store.accept([Self.confirmation("U0:0", mid: "m_echo_1")], receivedAt: now)
            #expect(outcome.confirmations == 1)
            // A's own answer arrives after the echo: recorded, nothing goes backwards.
            try await store.markSent(row, platformMessageID: "m_echo_1", at: now)
            #expect(try await store.accept([Self.confirmation("U0:0", mid: "m_echo_1")], receivedAt: now).confirmations == 0)
            #expect(try await store.accept([Self.confirmation("nobody:0", mid: "m_x")], receivedAt: now).confirmations == 0)
            // The second reply is next; a report of it before any claim records it without a send.
            let next = try #require(try await store.claimOutbox(now: now, limit: 10, claimant: "B", lease: .seconds(30)).first)
            #expect(next.idempotencyKey == "U0:1")
            #expect(try await store.accept([Self.confirmation("U0:1", mid: "m_echo_2")], receivedAt: now).confirmations == 1)
            #expect(try await store.claimOutbox(now: now.addingTimeInterval(60), limit: 10, claimant: "B", lease: .seconds(30)).isEmpty)
            #expect(try await store.outboxDepth() == 0)
            let conversationID = try #require(try await store.conversations(channel: nil, mode: nil, before: nil, limit: 5).items.first?.id)
            let messages = try #require(try await store.messages(conversationID: conversationID, before: nil, limit: 10)).items
            let out = messages.filter { $0.direction == "out" }
            #expect(out.map(\.status).allSatisfy { $0 == .sent })
            #expect(Set(out.compactMap(\.platformMessageID)) == ["m_echo_1", "m_echo_2"])
            #expect(out.allSatisfy { $0.sentAt != nil })
        }
    }
}
