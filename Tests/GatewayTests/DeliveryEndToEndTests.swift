import Foundation
import TestSupport
import Testing

@Suite("Outbox delivery, end to end")
struct DeliveryEndToEndTests {
    static let graphError = #"{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100,"fbtrace_id":"Ax"}}"#

    @Test("a 500 is retried and the same bytes are sent again")
    func retryAfterServerError() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([.init(status: 500, body: #"{"error":{"message":"oops","code":2}}"#)])
        try await GatewayHarness.run(upstream: upstream) { gateway in
            _ = try await gateway.webhook(Messenger.body(Messenger.text("r1", from: "U1", "szia")))
            let requests = try await upstream.waitForRequests(2)
            #expect(requests[0].body == requests[1].body)
            let message = try await waitForOutbound(gateway, status: "sent")
            #expect(message["platform_message_id"] as? String == "m_sent_1")
        }
    }

    @Test("429 waits for Retry-After")
    func retryAfterHeader() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([.init(status: 429, headers: ["Retry-After": "1"], body: Self.graphError)])
        try await GatewayHarness.run(upstream: upstream) { gateway in
            _ = try await gateway.webhook(Messenger.body(Messenger.text("r2", from: "U1", "szia")))
            let requests = try await upstream.waitForRequests(2)
            #expect(requests[1].receivedAt - requests[0].receivedAt >= .milliseconds(950))
            _ = try await waitForOutbound(gateway, status: "sent")
        }
    }

    @Test("a 400 is not retried: the message is dead-lettered, and the admin API can retry it")
    func permanentFailure() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([.init(status: 400, body: Self.graphError)])
        try await GatewayHarness.run(upstream: upstream) { gateway in
            _ = try await gateway.webhook(Messenger.body(Messenger.text("r3", from: "U1", "szia")))
            _ = try await upstream.waitForRequests(1)
            let failed = try await waitForOutbound(gateway, status: "failed")
            #expect((failed["error"] as? String)?.contains("HTTP 400 code 100") == true)
            #expect(await upstream.requests.count == 1)

            let letters = try await gateway.admin("/dead-letters").json["items"] as! [NSDictionary]
            #expect(letters.count == 1)
            let outboxID = letters[0]["outbox_id"] as! Int
            #expect(letters[0]["attempts"] as? Int == 1)
            #expect(try await gateway.admin("/dead-letters/\(outboxID)/retry", method: .POST).status == 202)
            #expect(try await gateway.admin("/dead-letters/\(outboxID)/retry", method: .POST).status == 404)
            let requests = try await upstream.waitForRequests(2)
            #expect(requests[0].body == requests[1].body)
            _ = try await waitForOutbound(gateway, status: "sent")
        }
    }

    @Test("after its last attempt a message is dead-lettered and counted")
    func deadLetter() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue(Array(repeating: .init(status: 503, body: "unavailable"), count: 3))
        try await GatewayHarness.run(upstream: upstream) { gateway in
            _ = try await gateway.webhook(Messenger.body(Messenger.text("r4", from: "U1", "szia")))
            _ = try await upstream.waitForRequests(3)
            let failed = try await waitForOutbound(gateway, status: "failed")
            #expect(failed["error"] as? String == "HTTP 503")
            try await Task.sleep(for: .milliseconds(300))
            #expect(await upstream.requests.count == 3)
            let metrics = try await gateway.request(.GET, "/metrics").body
            #expect(metrics.contains(#"chatbuddy_dead_letters_total{channel="messenger"} 1"#))
            #expect(metrics.contains(#"chatbuddy_send_retries_total{channel="messenger"} 2"#))
            #expect(metrics.contains("chatbuddy_outbox_depth 0"))
        }
    }

    @Test("a conversation's replies go out in the order its messages came in, even across a retry")
    func order() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([.init(status: 502)])
        try await GatewayHarness.run(upstream: upstream) { gateway in
            for index in 1...5 {
                let event = Messenger.quickReply("o\(index)", from: "U1", "Válasz \(index)", payload: "P\(index)", at: Messenger.now() + index)
                #expect(try await gateway.webhook(Messenger.body(event)).status == 200)
            }
            let requests = try await upstream.waitForRequests(6)
            let texts = requests.dropFirst().map { ($0.json["message"] as? NSDictionary)?["text"] as? String ?? "" }
            #expect(texts.map { $0.prefix("Ezt választottad: Válasz 1".count) } == (1...5).map { "Ezt választottad: Válasz \($0)" })
        }
    }

    @Test("a reply outside the 24-hour window is withdrawn, not sent")
    func serviceWindow() async throws {
        try await GatewayHarness.run { gateway in
            let dayAndAnHourAgo = Messenger.now() - 25 * 3_600_000
            _ = try await gateway.webhook(Messenger.body(Messenger.text("w1", from: "U1", "szia", at: dayAndAnHourAgo)))
            let withdrawn = try await waitForOutbound(gateway, status: "suppressed")
            #expect(withdrawn["error"] as? String == "outside the 24-hour service window")
            #expect(await gateway.upstream.requests.isEmpty)
            let metrics = try await gateway.request(.GET, "/metrics").body
            #expect(metrics.contains(#"chatbuddy_suppressed_total{channel="messenger"} 1"#))
        }
    }

    /// Polls the admin API until the conversation's newest outbound message has `status`.
    func waitForOutbound(_ gateway: GatewayHarness, status: String) async throws -> NSDictionary {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let conversations = try await gateway.admin("/conversations").json["items"] as? [NSDictionary] ?? []
            if let id = conversations.first?["id"] as? Int {
                let messages = try await gateway.admin("/conversations/\(id)/messages").json["items"] as? [NSDictionary] ?? []
                if let outbound = messages.first(where: { $0["direction"] as? String == "out" }), outbound["status"] as? String == status {
                    return outbound
                }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("no outbound message reached status \(status)")
        return [:]
    }
}
