import Channels
import Foundation
import Gateway
import TestSupport
import Testing

@Suite("Messenger webhook, end to end")
struct MessengerWebhookEndToEndTests {
    @Test("verification echoes the challenge; a wrong token gets 403")
    func verification() async throws {
        try await GatewayHarness.run { gateway in
            let ok = try await gateway.request(
                .GET, "/webhooks/messenger?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=verify-me-7f3a")
            #expect(ok.status == 200)
            #expect(ok.body == "1158201444")
            let wrong = try await gateway.request(
                .GET, "/webhooks/messenger?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess")
            #expect(wrong.status == 403)
            #expect(wrong.errorCode == "verification_failed")
            #expect(!wrong.body.contains("verify-me-7f3a"))
        }
    }

    @Test("a disabled channel's routes answer 404")
    func disabledChannel() async throws {
        try await GatewayHarness.run(configure: { $0.messenger = nil }) { gateway in
            let get = try await gateway.request(.GET, "/webhooks/messenger?hub.mode=subscribe&hub.challenge=1&hub.verify_token=x")
            #expect(get.status == 404)
            let post = try await gateway.webhook(Messenger.body(Messenger.text("m1", from: "U1", "szia")))
            #expect(post.status == 404)
            #expect(post.errorCode == "not_found")
        }
    }

    @Test("every entry and event of a batch is answered, with the page token, on both engines", arguments: TestDatabase.engines)
    func batch(engine: TestDatabase) async throws {
        try await GatewayHarness.run(engine: engine) { gateway in
            let body = Messenger.body(entries: [
                [Messenger.text("b1", from: "U1", "Szia!"), Messenger.text("b2", from: "U2", "Hello there")],
                [Messenger.quickReply("b3", from: "U3", "Piros", payload: "COLOR_RED"), Messenger.text("b4", from: "U4", "köszönöm")],
            ])
            let answer = try await gateway.webhook(body)
            #expect(answer.status == 200)
            #expect(answer.headers.first(name: "X-Request-ID") != nil)
            let requests = try await gateway.upstream.waitForRequests(4)
            #expect(requests.allSatisfy { $0.path == "/me/messages" && $0.method == "POST" })
            #expect(requests.allSatisfy { $0.header("Authorization") == "Bearer \(GatewayHarness.pageToken)" })
            var byUser: [String: NSDictionary] = [:]
            for request in requests {
                let json = request.json
                #expect(json["messaging_type"] as? String == "RESPONSE")
                byUser[(json["recipient"] as! NSDictionary)["id"] as! String] = json["message"] as? NSDictionary
            }
            #expect(Set(byUser.keys) == ["U1", "U2", "U3", "U4"])
            // Greeting in Hungarian with the menu as quick replies; English for the English greeting.
            #expect((byUser["U1"]?["text"] as? String)?.hasPrefix("Szia!") == true)
            #expect((byUser["U1"]?["quick_replies"] as? [NSDictionary])?.map { $0["payload"] as! String } == ["MENU_PRODUCTS", "MENU_ORDER", "MENU_CONTACT"])
            #expect((byUser["U2"]?["text"] as? String)?.hasPrefix("Hi!") == true)
            #expect((byUser["U3"]?["text"] as? String)?.hasPrefix("Ezt választottad: Piros.") == true)
            #expect((byUser["U4"]?["text"] as? String)?.hasPrefix("Szívesen!") == true)
        }
    }

    @Test("echoes, receipts and reactions get no reply")
    func silentEvents() async throws {
        try await GatewayHarness.run { gateway in
            for file in ["echo", "delivery", "read", "reaction"] {
                let answer = try await gateway.webhook(try Fixtures.data("messenger/\(file).json"))
                #expect(answer.status == 200, "\(file)")
            }
            // A message after them: once its reply is out, everything before it has been handled.
            _ = try await gateway.webhook(Messenger.body(Messenger.text("after", from: "7294628746593021", "szia")))
            let requests = try await gateway.upstream.waitForRequests(1)
            try await Task.sleep(for: .milliseconds(300))
            #expect(await gateway.upstream.requests.count == 1)
            #expect((requests[0].json["recipient"] as? NSDictionary)?["id"] as? String == "7294628746593021")
        }
    }

    @Test("a retried webhook is acknowledged and answered once")
    func retriedWebhook() async throws {
        try await GatewayHarness.run { gateway in
            let body = Data(Messenger.body(Messenger.quickReply("retried", from: "U1", "Piros", payload: "COLOR_RED")).utf8)
            // Meta retries: once after the first ack, and twice at the same time.
            #expect(try await gateway.webhook(body).status == 200)
            async let second = gateway.webhook(body)
            async let third = gateway.webhook(body)
            #expect(try await second.status == 200)
            #expect(try await third.status == 200)
            _ = try await gateway.upstream.waitForRequests(1)
            try await Task.sleep(for: .milliseconds(500))
            #expect(await gateway.upstream.requests.count == 1)
            let metrics = try await gateway.request(.GET, "/metrics").body
            #expect(metrics.contains(#"chatbuddy_inbound_events_total{channel="messenger",result="duplicate"} 2"#))
        }
    }

    @Test("bad input gets 401, 413 or 400 with a JSON error, and nothing is stored")
    func badInput() async throws {
        try await GatewayHarness.run { gateway in
            let body = Data(Messenger.body(Messenger.text("x1", from: "U1", "szia")).utf8)

            let unsigned = try await gateway.request(.POST, "/webhooks/messenger", body: body)
            #expect(unsigned.status == 401)
            #expect(unsigned.errorCode == "missing_signature")

            let forged = try await gateway.webhook(body, signature: MetaSignature.forged(for: body))
            #expect(forged.status == 401)
            #expect(forged.errorCode == "invalid_signature")
            let error = try #require(forged.json["error"] as? NSDictionary)
            #expect(error["request_id"] as? String == forged.headers.first(name: "X-Request-ID"))
            #expect(error["message"] is String)

            var big = Data(#"{"object":"page","entry":[],"pad":""#.utf8)
            big.append(Data(repeating: UInt8(ascii: "a"), count: 1 << 20))
            big.append(Data(#""}"#.utf8))
            let oversized = try await gateway.webhook(big)
            #expect(oversized.status == 413)
            #expect(oversized.errorCode == "payload_too_large")

            let malformed = try await gateway.webhook("{\"object\":\"page\",\"entry\":[")
            #expect(malformed.status == 400)
            #expect(malformed.errorCode == "malformed_body")
            #expect(malformed.json["error"].flatMap { ($0 as? NSDictionary)?["message"] as? String } == "body is not valid JSON")

            let missingSender = try await gateway.webhook(#"{"object":"page","entry":[{"messaging":[{"recipient":{"id":"P"},"timestamp":1,"message":{"mid":"z","text":"x"}}]}]}"#)
            #expect(missingSender.status == 400)

            let conversations = try await gateway.admin("/conversations")
            #expect((conversations.json["items"] as? [Any])?.isEmpty == true)
            #expect(await gateway.upstream.requests.isEmpty)
        }
    }

    @Test("unknown event kinds are acknowledged and counted")
    func unknownKinds() async throws {
        try await GatewayHarness.run { gateway in
            let optin = Messenger.event("U1", 1000, #""optin":{"ref":"newsletter"}"#)
            #expect(try await gateway.webhook(Messenger.body(optin)).status == 200)
            #expect(try await gateway.webhook(#"{"object":"instagram","entry":[]}"#).status == 200)
            let metrics = try await gateway.request(.GET, "/metrics").body
            #expect(metrics.contains(#"chatbuddy_webhook_events_ignored_total{channel="messenger",kind="messaging"} 1"#))
            #expect(metrics.contains(#"chatbuddy_webhook_events_ignored_total{channel="messenger",kind="object:instagram"} 1"#))
            #expect(try await gateway.admin("/conversations").json["items"].flatMap { $0 as? [Any] }?.isEmpty == true)
        }
    }
}

extension MetaSignature {
    /// A well-formed signature made with the wrong secret.
    static func forged(for body: Data) -> String {
        MetaSignature(appSecret: "not-the-app-secret").header(for: body)
    }
}
