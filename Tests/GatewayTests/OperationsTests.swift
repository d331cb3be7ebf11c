import Foundation
import TestSupport
import Testing

@Suite("Operations and admin routes")
struct OperationsTests {
    @Test("health, readiness and Prometheus metrics")
    func health() async throws {
        try await GatewayHarness.run { gateway in
            let health = try await gateway.request(.GET, "/health")
            #expect(health.status == 200)
            #expect(health.json["status"] as? String == "ok")
            // Ready once the store answers and the catalog is loaded.
            var ready = try await gateway.request(.GET, "/ready")
            for _ in 0..<200 where ready.status != 200 {
                #expect(ready.status == 503)
                try await Task.sleep(for: .milliseconds(50))
                ready = try await gateway.request(.GET, "/ready")
            }
            #expect(ready.status == 200)
            _ = try await gateway.webhook(Messenger.body(Messenger.text("h1", from: "U1", "szia")))
            _ = try await gateway.upstream.waitForRequests(1)
            // The send is counted once its result is recorded, just after the platform answered.
            var metrics = try await gateway.request(.GET, "/metrics")
            for _ in 0..<100 where !metrics.body.contains(#"chatbuddy_send_attempts_total{channel="messenger",result="sent"} 1"#) {
                try await Task.sleep(for: .milliseconds(50))
                metrics = try await gateway.request(.GET, "/metrics")
            }
            #expect(metrics.headers.first(name: "Content-Type")?.hasPrefix("text/plain") == true)
            for line in [
                #"chatbuddy_webhooks_total{channel="messenger",result="accepted"} 1"#,
                #"chatbuddy_events_processed_total{channel="messenger",outcome="answered"} 1"#,
                #"chatbuddy_send_attempts_total{channel="messenger",result="sent"} 1"#,
                #"chatbuddy_send_duration_seconds_count{channel="messenger"} 1"#,
                "chatbuddy_outbox_depth 0",
            ] {
                #expect(metrics.body.contains(line), "\(line)")
            }
        }
    }

    @Test("every response carries X-Request-ID; a caller's sane id is kept")
    func requestID() async throws {
        try await GatewayHarness.run { gateway in
            let kept = try await gateway.request(.GET, "/health", headers: [("X-Request-ID", "abc-123")])
            #expect(kept.headers.first(name: "X-Request-ID") == "abc-123")
            let replaced = try await gateway.request(.GET, "/nowhere", headers: [("X-Request-ID", "bad id <script>")])
            let id = try #require(replaced.headers.first(name: "X-Request-ID"))
            #expect(id != "bad id <script>")
            #expect(replaced.status == 404)
            #expect((replaced.json["error"] as? NSDictionary)?["request_id"] as? String == id)
        }
    }

    @Test("the admin API wants the bearer key")
    func adminAuth() async throws {
        try await GatewayHarness.run { gateway in
            #expect(try await gateway.request(.GET, "/api/v1/admin/conversations").status == 401)
            let wrong = try await gateway.request(.GET, "/api/v1/admin/conversations", headers: [("Authorization", "Bearer nope")])
            #expect(wrong.status == 401)
            #expect(wrong.errorCode == "unauthorized")
            #expect(try await gateway.request(.POST, "/api/v1/admin/dead-letters/1/retry").status == 401)
            #expect(try await gateway.admin("/conversations").status == 200)
            #expect(try await gateway.admin("/conversations?limit=0").status == 400)
            #expect(try await gateway.admin("/conversations/12345/messages").status == 404)
        }
    }

    @Test("the admin API is closed when no key is configured")
    func adminClosed() async throws {
        try await GatewayHarness.run(configure: { $0.admin.apiKey = nil }) { gateway in
            let answer = try await gateway.admin("/conversations")
            #expect(answer.status == 401)
            #expect(answer.errorCode == "admin_disabled")
        }
    }

    @Test("conversations filter by channel and mode, and messages show delivery status")
    func adminListing() async throws {
        try await GatewayHarness.run { gateway in
            _ = try await gateway.webhook(Messenger.body(Messenger.text("l1", from: "U1", "szia"), Messenger.text("l2", from: "U2", "hello")))
            _ = try await gateway.upstream.waitForRequests(2)
            let all = try await gateway.admin("/conversations?channel=messenger&mode=bot&limit=1")
            let items = try #require(all.json["items"] as? [NSDictionary])
            #expect(items.count == 1)
            let cursor = try #require(all.json["next_cursor"] as? String)
            let next = try await gateway.admin("/conversations?channel=messenger&cursor=\(cursor)").json["items"] as? [NSDictionary]
            #expect(next?.count == 1)
            #expect(try await gateway.admin("/conversations?mode=human").json["items"].flatMap { $0 as? [Any] }?.isEmpty == true)
            let id = try #require(items[0]["id"] as? Int)
            try await Task.sleep(for: .milliseconds(100))
            let messages = try #require(try await gateway.admin("/conversations/\(id)/messages").json["items"] as? [NSDictionary])
            #expect(messages.map { $0["direction"] as? String } == ["out", "in"])
            #expect(messages[0]["status"] as? String == "sent")
        }
    }
}
