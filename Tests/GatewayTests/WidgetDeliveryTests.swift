import ChatModel
import Foundation
import Gateway
import Storage
import TestSupport
import Testing

@Suite("Widget replies reach customers who come back")
struct WidgetDeliveryTests {
    static let session = "away-0123456789"
    static let key = ConversationKey(channel: .widget, accountID: "web", userID: session)

    /// A customer message stored while no gateway ran (as if it crashed right after acknowledging it).
    static func storeMessage(_ text: String, id: String, databaseURL: String) async throws {
        try await Gateway.withStore(url: databaseURL, logger: TestDatabase.logger) { store in
            let event = InboundEvent(conversation: key, platformID: "\(session):\(id)", timestamp: Date(), content: .text(text))
            let outcome = try await store.accept([event], receivedAt: Date())
            #expect(outcome.stored == 1)
        }
    }

    /// Polls the admin API until the widget conversation has `count` messages.
    static func waitForMessages(_ gateway: GatewayHarness, count: Int) async throws -> [NSDictionary] {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let items = try await gateway.widgetMessages()
            if items.count >= count { return items }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw WidgetTestError.timeout("messages")
    }

    /// Waits (up to 20 s, for a loaded machine) until the delivery worker has held a reply for want of a socket.
    static func waitUntilHeld(_ gateway: GatewayHarness) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while try await !gateway.request(.GET, "/metrics").body.contains(#"result="held""#), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("a reply produced while no socket is open is held, survives a restart, and is delivered on the next connect",
          arguments: TestDatabase.engines)
    func heldAcrossRestart(engine: TestDatabase) async throws {
        let databaseURL = try await engine.makeURL()
        try await Self.storeMessage("Szia!", id: "before-crash", databaseURL: databaseURL)
        let config = GatewayHarness.config(graphURL: "http://127.0.0.1:9", databaseURL: databaseURL)

        // First run: the runner answers the stored message, nobody is connected, so the reply is held.
        try await GatewayHarness.run(config: config, upstream: FakeUpstream()) { gateway in
            let messages = try await Self.waitForMessages(gateway, count: 2)
            let reply = try #require(messages.first { $0["direction"] as? String == "out" })
            try await Self.waitUntilHeld(gateway)
            #expect(try await gateway.request(.GET, "/metrics").body.contains(#"chatbuddy_send_attempts_total{channel="widget",result="held"}"#))
            let current = try await Self.waitForMessages(gateway, count: 2)
            #expect(current.first { $0["id"] as? Int == reply["id"] as? Int }?["status"] as? String == "pending")
        }

        // Second run: the customer comes back and gets the reply after the history.
        try await GatewayHarness.run(config: config, upstream: FakeUpstream()) { gateway in
            let socket = gateway.widget(Self.session)
            let history = try #require(try await socket.next("history")["messages"] as? [NSDictionary])
            #expect(history.map { $0["type"] as? String } == ["chat_message"])
            let response = try await socket.next("chat_response")
            #expect(response["in_reply_to"] as? String == "before-crash")
            #expect((response["content"] as? String)?.hasPrefix("Szia!") == true)
            #expect(try await socket.pending("chat_response").isEmpty, "delivered once")
            try await socket.close()

            // Now it is sent, and part of the replayed history.
            let again = gateway.widget(Self.session)
            let replay = try #require(try await again.next("history")["messages"] as? [NSDictionary])
            #expect(replay.map { $0["type"] as? String } == ["chat_message", "chat_response"])
            #expect(try await again.pending("chat_response").isEmpty)
            try await again.close()
        }
    }

    @Test("a held reply older than the widget's held-reply lifetime is not sent when the visitor comes back", arguments: TestDatabase.engines)
    func heldReplyExpires(engine: TestDatabase) async throws {
        let databaseURL = try await engine.makeURL()
        try await Self.storeMessage("Szia!", id: "long-ago", databaseURL: databaseURL)
        var config = GatewayHarness.config(graphURL: "http://127.0.0.1:9", databaseURL: databaseURL)
        try await GatewayHarness.run(config: config, upstream: FakeUpstream()) { gateway in
            _ = try await Self.waitForMessages(gateway, count: 2)
            try await Self.waitUntilHeld(gateway)
        }
        try await Task.sleep(for: .milliseconds(1500))
        config.widget?.heldReplyLifetime = .seconds(1)
        try await GatewayHarness.run(config: config, upstream: FakeUpstream()) { gateway in
            let socket = gateway.widget(Self.session)
            let history = try #require(try await socket.next("history")["messages"] as? [NSDictionary])
            #expect(history.map { $0["type"] as? String } == ["chat_message"])
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await socket.pending("chat_response").isEmpty, "the expired reply is not pushed")
            try await socket.close()
            // The delivery worker settles it on connect; on a loaded machine that may take a moment.
            var status: String?
            let deadline = ContinuousClock.now + .seconds(20)
            repeat {
                status = try await Self.waitForMessages(gateway, count: 2).first { $0["direction"] as? String == "out" }?["status"] as? String
                if status != "pending" { break }
                try await Task.sleep(for: .milliseconds(20))
            } while ContinuousClock.now < deadline
            #expect(status == "suppressed")
        }
    }

    @Test("a REST resend after the reply was held gets it delivered")
    func restResendReleasesHeld() async throws {
        let databaseURL = try await TestDatabase.sqlite.makeURL()
        try await Self.storeMessage("köszönöm", id: "rest-1", databaseURL: databaseURL)
        let config = GatewayHarness.config(graphURL: "http://127.0.0.1:9", databaseURL: databaseURL)
        try await GatewayHarness.run(config: config, upstream: FakeUpstream()) { gateway in
            _ = try await Self.waitForMessages(gateway, count: 2)
            try await Self.waitUntilHeld(gateway)
            let answer = try await gateway.chat(#"{"session_id":"\#(Self.session)","content":"köszönöm","message_id":"rest-1"}"#)
            #expect(answer.status == 200)
            let data = try #require(answer.json["data"] as? NSDictionary)
            #expect(data["in_reply_to"] as? String == "rest-1")
            #expect((data["content"] as? String)?.hasPrefix("Szívesen") == true)
        }
    }

    @Test("an operator's reply with product cards reaches the widget as a handoff chat_response")
    func operatorReply() async throws {
        try await GatewayHarness.run { gateway in
            let socket = gateway.widget(Self.session)
            _ = try await socket.next("history")
            socket.say("Szia!")
            _ = try await socket.next("chat_response")
            let id = try #require(try await gateway.widgetConversationID())
            let reply = #"{"reply":{"text":"Ezeket ajánlom:","cards":[{"title":"Piros bögre","subtitle":"3 490 Ft","image_url":"http://127.0.0.1/b.png","sku":"B-1","buttons":[{"type":"postback","title":"Kosárba","payload":"ADD:B-1"},{"type":"url","title":"Részletek","url":"http://127.0.0.1/b"}]}]}}"#
            let answer = try await gateway.request(
                .POST, "/api/v1/admin/conversations/\(id)/replies",
                headers: [("Authorization", "Bearer \(GatewayHarness.adminKey)"), ("Content-Type", "application/json")],
                body: Data(reply.utf8))
            #expect(answer.status == 202)
            let response = try await socket.next("chat_response")
            #expect(response["agent_type"] as? String == "handoff")
            #expect(response["content"] as? String == "Ezeket ajánlom:")
            let card = try #require(((response["reply"] as? NSDictionary)?["cards"] as? [NSDictionary])?.first)
            #expect(card["sku"] as? String == "B-1")
            #expect((card["buttons"] as? NSArray)?.count == 2)

            let missing = try await gateway.request(
                .POST, "/api/v1/admin/conversations/999999/replies",
                headers: [("Authorization", "Bearer \(GatewayHarness.adminKey)")], body: Data(reply.utf8))
            #expect(missing.status == 404)
            let bad = try await gateway.request(
                .POST, "/api/v1/admin/conversations/\(id)/replies",
                headers: [("Authorization", "Bearer \(GatewayHarness.adminKey)")], body: Data("{}".utf8))
            #expect(bad.status == 400)
            try await socket.close()
        }
    }
}
