import Foundation
import TestSupport
import Testing

@Suite("Delivery under faults: a store that cannot write, platforms that stall")
struct DeliveryFaultTests {
    @Test(
        "a send whose result cannot be stored is not sent again; it is recorded once the store writes again",
        arguments: TestDatabase.engines, [200, 500])
    func storeCannotWrite(engine: TestDatabase, firstStatus: Int) async throws {
        let upstream = FakeUpstream()
        if firstStatus != 200 { await upstream.enqueue([.init(status: firstStatus, body: #"{"error":{"message":"oops","code":2}}"#)]) }
        var databaseURL = ""
        try await GatewayHarness.run(engine: engine, upstream: upstream, configure: { databaseURL = $0.storage.url }) { gateway in
            try await engine.failWrites(of: "outbox", exceptClaims: true, on: databaseURL)
            _ = try await gateway.webhook(Messenger.body(Messenger.text("f1", from: "U1", "szia")))
            _ = try await upstream.waitForRequests(1)
            // Before, the row stayed due and was sent again at once, in a loop, for as long as the store failed.
            try await Task.sleep(for: .seconds(2))
            #expect(await upstream.requests.count == 1)
            try await engine.allowWrites(of: "outbox", on: databaseURL)
            let sent = try await DeliveryEndToEndTests().waitForOutbound(gateway, status: "sent")
            // A failed send is retried once its retry can be recorded: two calls in all; a sent one is only recorded.
            #expect(await upstream.requests.count == (firstStatus == 200 ? 1 : 2))
            #expect(sent["platform_message_id"] as? String == "m_sent_1")
        }
    }

    @Test("sends stalled after their headers hold up only their own conversations, each cut off at the deadline")
    func stalledSends() async throws {
        let upstream = FakeUpstream()
        let stalled = 6
        let concurrency = 4
        await upstream.enqueue(Array(repeating: .init(status: 200, body: #"{"recipient_id":"s","message_id":"m_stalled"}"#, stallBody: .seconds(8)), count: stalled))
        try await GatewayHarness.run(upstream: upstream, configure: {
            $0.delivery.concurrency = concurrency
            $0.delivery.requestTimeout = .seconds(2)
        }) { gateway in
            for index in 0..<stalled {
                _ = try await gateway.webhook(Messenger.body(Messenger.text("s\(index)", from: "S\(index)", "szia")))
            }
            _ = try await upstream.waitForRequests(concurrency)
            let ordinary = (0..<5).map { "O\($0)" }
            for user in ordinary {
                _ = try await gateway.webhook(Messenger.body(Messenger.text("o-\(user)", from: user, "szia")))
            }
            // Once every ordinary reply is in the outbox (however long the agents took on a busy machine)...
            let written = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < written {
                let conversations = try await gateway.admin("/conversations?limit=50").json["items"] as? [NSDictionary] ?? []
                var replies = 0
                for conversation in conversations {
                    let id = conversation["id"] as? Int ?? 0
                    let messages = try await gateway.admin("/conversations/\(id)/messages").json["items"] as? [NSDictionary] ?? []
                    if messages.contains(where: { $0["direction"] as? String == "out" }) { replies += 1 }
                }
                if replies >= stalled + ordinary.count { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            // ...each is sent within the request deadline plus a second, stalled sends notwithstanding.
            let deadline = ContinuousClock.now + .seconds(3)
            var answered: Set<String> = []
            while ContinuousClock.now < deadline, answered.count < ordinary.count {
                for request in await upstream.requests {
                    if let id = (request.json["recipient"] as? NSDictionary)?["id"] as? String, ordinary.contains(id) { answered.insert(id) }
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(answered == Set(ordinary), "answered within 3 s: \(answered.sorted())")
        }
    }

    @Test("a store that cannot write: webhooks get 503 and nothing is acknowledged; the platform's retry is answered once",
          arguments: TestDatabase.engines)
    func storeCannotStoreWebhooks(engine: TestDatabase) async throws {
        var databaseURL = ""
        try await GatewayHarness.run(engine: engine, configure: { databaseURL = $0.storage.url }) { gateway in
            try await engine.failWrites("INSERT", of: "messages", on: databaseURL)
            let body = Messenger.body(Messenger.text("w1", from: "U1", "szia"))
            let refused = try await gateway.webhook(body)
            #expect(refused.status == 503)
            #expect(refused.errorCode == "store_unavailable")
            #expect(!refused.body.contains("injected"), "the store's error is not shown")
            try await engine.allowWrites("INSERT", of: "messages", on: databaseURL)
            #expect(try await gateway.webhook(body).status == 200)
            _ = try await gateway.upstream.waitForRequests(1)
            #expect(try await gateway.webhook(body).status == 200, "a later retry is a duplicate")
            try await Task.sleep(for: .milliseconds(300))
            #expect(await gateway.upstream.requests.count == 1)
        }
    }

    @Test("a platform that resets the connection: the send is retried with backoff, then dead-lettered as a transport failure")
    func upstreamResets() async throws {
        try await ResettingServer.run { resetURL in
            try await GatewayHarness.run(configure: { $0.messenger?.graphBaseURL = resetURL }) { gateway in
                _ = try await gateway.webhook(Messenger.body(Messenger.text("x1", from: "U1", "szia")))
                let failed = try await DeliveryEndToEndTests().waitForOutbound(gateway, status: "failed")
                #expect((failed["error"] as? String)?.hasPrefix("transport") == true, "\(failed)")
                let letters = try await gateway.admin("/dead-letters").json["items"] as? [NSDictionary] ?? []
                #expect(letters.first?["attempts"] as? Int == 3)
                #expect(try await gateway.request(.GET, "/health").status == 200)
            }
        }
    }
}
