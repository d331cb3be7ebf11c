import Foundation
import TestSupport
import Testing

@Suite("One flooding sender does not slow everyone")
struct FloodTests {
    @Test("a conversation with 50,000 pending events beside 100 ordinary ones: the ordinary ones are answered promptly",
          arguments: TestDatabase.engines)
    func backlogBesideOrdinary(engine: TestDatabase) async throws {
        var databaseURL = ""
        try await GatewayHarness.run(engine: engine, configure: { databaseURL = $0.storage.url }) { gateway in
            _ = try await gateway.webhook(Messenger.body(Messenger.text("flood-0", from: "FLOOD", "szia")))
            _ = try await gateway.upstream.waitForRequests(1)
            let flood = try #require((try await gateway.admin("/conversations").json["items"] as? [NSDictionary])?.first?["id"] as? Int)
            // 50,000 stored, unhandled events of one conversation (as a flood acknowledged earlier would leave),
            // and 50,000 of its replies waiting in the outbox.
            let now = Int(Date().timeIntervalSince1970 * 1000)
            try await TestDatabase.execute([
                """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
                INSERT INTO messages (conversation_id, direction, channel, kind, text, body, status, created_at, updated_at)
                SELECT \(flood), 'out', 'messenger', 'text', 'backlog', 'backlog-' || CAST(i AS TEXT), 'pending', \(now), \(now) FROM n
                """,
                """
                INSERT INTO outbox (message_id, conversation_id, channel, account_id, recipient, payload, idempotency_key,
                                    state, attempts, next_attempt_at, created_at, updated_at)
                SELECT id, conversation_id, 'messenger', '106540352242922', 'FLOOD', '{"recipient":{"id":"FLOOD"},"message":{"text":"x"}}',
                       body, 'pending', 0, \(now), \(now), \(now)
                FROM messages WHERE conversation_id = \(flood) AND body LIKE 'backlog-%'
                """,
                """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
                INSERT INTO messages (conversation_id, direction, channel, platform_message_id, kind, text, body, status, created_at, updated_at)
                SELECT \(flood), 'in', 'messenger', 'flood-' || CAST(i AS TEXT), 'text', 'szia',
                       (SELECT body FROM messages WHERE platform_message_id = 'flood-0'), 'received', \(now), \(now)
                FROM n
                """
            ], on: databaseURL)
            // The flood conversation is woken and works through its backlog meanwhile.
            _ = try await gateway.webhook(Messenger.body(Messenger.text("flood-wake", from: "FLOOD", "még valami")))
            try await Task.sleep(for: .seconds(1))

            let start = ContinuousClock.now
            let users = (0..<100).map { "ORD\($0)" }
            for batch in stride(from: 0, to: users.count, by: 10) {
                let events = users[batch..<batch + 10].map { Messenger.text("m-\($0)", from: $0, "mennyi a szállítási díj?") }
                #expect(try await gateway.webhook(Messenger.body(entries: [events])).status == 200)
            }
            var answered: Set<String> = []
            while ContinuousClock.now - start < .seconds(30), answered.count < users.count {
                for request in await gateway.upstream.requests {
                    if let id = (request.json["recipient"] as? NSDictionary)?["id"] as? String, id.hasPrefix("ORD") { answered.insert(id) }
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(answered.count == users.count, "answered \(answered.count) of \(users.count) in \(ContinuousClock.now - start)")
        }
    }

    @Test("a sender over its rate on a channel is acknowledged but not stored; others are unaffected")
    func senderRateLimit() async throws {
        try await GatewayHarness.run(configure: { $0.inbound.senderLimit = .init(perMinute: 1, burst: 3) }) { gateway in
            let events = (0..<6).map { Messenger.text("r-\($0)", from: "BOT", "szia \($0)") } + [Messenger.text("r-other", from: "HUMAN", "szia")]
            #expect(try await gateway.webhook(Messenger.body(entries: [events])).status == 200)
            let metrics = try await gateway.request(.GET, "/metrics").body
            #expect(metrics.contains(#"chatbuddy_inbound_events_total{channel="messenger",result="rate_limited"} 3"#))
            #expect(metrics.contains(#"chatbuddy_inbound_events_total{channel="messenger",result="stored"} 4"#))
        }
    }
}
