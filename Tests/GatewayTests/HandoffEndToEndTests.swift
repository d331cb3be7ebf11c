import Agents
import Foundation
import Gateway
import TestSupport
import Testing

@Suite("Human handoff, operators and consents, end to end")
struct HandoffEndToEndTests {
    /// Waits until the inbound message `mid` has been handled (answered or deliberately not).
    static func handled(_ gateway: GatewayHarness, conversation id: Int, text: String) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let items = try await gateway.admin("/conversations/\(id)/messages").json["items"] as? [NSDictionary] ?? []
            if items.contains(where: { $0["text"] as? String == text && $0["status"] as? String == "processed" }) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("message \(text) was not handled in time")
    }

    static func conversationID(_ gateway: GatewayHarness) async throws -> Int {
        let items = try await gateway.admin("/conversations?channel=messenger").json["items"] as? [NSDictionary]
        return try #require(items?.first?["id"] as? Int)
    }

    static func post(_ gateway: GatewayHarness, _ path: String, _ body: String = "") async throws -> GatewayHarness.Answer {
        try await gateway.request(
            .POST, "/api/v1/admin" + path,
            headers: [("Authorization", "Bearer \(GatewayHarness.adminKey)"), ("Content-Type", "application/json")],
            body: body.isEmpty ? nil : Data(body.utf8))
    }

    @Test("a person answering from the Page inbox takes the conversation: the bot goes quiet; our own echoes change nothing",
        arguments: TestDatabase.engines)
    func pageInbox(engine: TestDatabase) async throws {
        try await GatewayHarness.run(engine: engine) { gateway in
            _ = try await gateway.webhook(Messenger.body(Messenger.text("p1", from: "U1", "Szia!")))
            _ = try await gateway.upstream.waitForRequests(1)
            let id = try await Self.conversationID(gateway)
            // The echo of our own reply (it carries our metadata) leaves the bot in charge.
            _ = try await gateway.webhook(Messenger.body(Messenger.echo("e1", to: "U1", "Szia! Miben segíthetek?", metadata: "gw:chatbuddy")))
            #expect((try await gateway.admin("/conversations?mode=human").json["items"] as? [NSDictionary] ?? []).isEmpty)

            #expect(try await gateway.webhook(Messenger.body(Messenger.echo("e2", to: "U1", "Szia, Kata vagyok a boltból."))).status == 200)
            let human = try await gateway.admin("/conversations?mode=human").json["items"] as? [NSDictionary] ?? []
            #expect(human.map { $0["id"] as? Int } == [id])
            let taken = try await gateway.admin("/handoffs?state=taken").json["items"] as? [NSDictionary] ?? []
            #expect(taken.first?["operator"] as? String == "Page inbox")
            let messages = try await gateway.admin("/conversations/\(id)/messages").json["items"] as? [NSDictionary] ?? []
            #expect(messages.first?["kind"] as? String == "human_reply" && messages.first?["text"] as? String == "Szia, Kata vagyok a boltból.")

            // The customer answers the person; the bot stays quiet.
            let before = await gateway.upstream.requests.count
            _ = try await gateway.webhook(Messenger.body(Messenger.text("p2", from: "U1", "Köszönöm, Kata!")))
            try await Self.handled(gateway, conversation: id, text: "Köszönöm, Kata!")
            try await Task.sleep(for: .milliseconds(300))
            #expect(await gateway.upstream.requests.count == before)
        }
    }

    @Test("outside operator hours: told when a person replies, the request recorded, the bot goes on answering", arguments: TestDatabase.engines)
    func afterHours(engine: TestDatabase) async throws {
        // Open only on the day after tomorrow, so it is closed now whenever the test runs.
        let zone = TimeZone(identifier: "Europe/Budapest")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][calendar.component(.weekday, from: Date().addingTimeInterval(2 * 86400)) - 1]
        let hours = try OperatorHours("\(day) 09:00-17:00", timeZone: zone)
        try await GatewayHarness.run(engine: engine, configure: { $0.operators.hours = hours }) { gateway in
            _ = try await gateway.webhook(Messenger.body(Messenger.text("a1", from: "U1", "Élő ügyintézővel szeretnék beszélni")))
            let told = try await gateway.upstream.waitForRequests(1)
            #expect(((told[0].json["message"] as? NSDictionary)?["text"] as? String)?.contains("9:00-kor") == true)
            let open = try await gateway.admin("/handoffs?state=open").json["items"] as? [NSDictionary] ?? []
            #expect(open.count == 1, "the request waits for the operators")
            let human = try await gateway.admin("/conversations?mode=human").json["items"] as? [NSDictionary] ?? []
            #expect(human.isEmpty, "the bot keeps the conversation")
            _ = try await gateway.webhook(Messenger.body(Messenger.text("a2", from: "U1", "Szia!")))
            _ = try await gateway.upstream.waitForRequests(2)
        }
    }

    @Test("asking for a human: told, recorded, the bot silent; an operator takes over, replies and hands back", arguments: TestDatabase.engines)
    func handoff(engine: TestDatabase) async throws {
        try await GatewayHarness.run(engine: engine) { gateway in
            #expect(try await gateway.webhook(Messenger.body(Messenger.text("h1", from: "U1", "Élő ügyintézővel szeretnék beszélni"))).status == 200)
            let told = try await gateway.upstream.waitForRequests(1)
            #expect(((told[0].json["message"] as? NSDictionary)?["text"] as? String)?.contains("kollégámnak") == true)
            let id = try await Self.conversationID(gateway)

            let open = try await gateway.admin("/handoffs?state=open").json["items"] as? [NSDictionary] ?? []
            #expect(open.count == 1)
            #expect(open.first?["reason"] as? String == "Élő ügyintézővel szeretnék beszélni")
            #expect(open.first?["conversation_id"] as? Int == id)
            let human = try await gateway.admin("/conversations?mode=human").json["items"] as? [NSDictionary] ?? []
            #expect(human.map { $0["id"] as? Int } == [id])

            // The bot stays silent while a human has the conversation.
            _ = try await gateway.webhook(Messenger.body(Messenger.text("h2", from: "U1", "Hahó, ott van valaki?")))
            try await Self.handled(gateway, conversation: id, text: "Hahó, ott van valaki?")
            #expect(await gateway.upstream.requests.count == 1)

            #expect(try await Self.post(gateway, "/conversations/\(id)/takeover", #"{"operator":"Anna"}"#).status == 200)
            let taken = try await gateway.admin("/handoffs?state=taken").json["items"] as? [NSDictionary] ?? []
            #expect(taken.first?["operator"] as? String == "Anna")

            let reply = try await Self.post(gateway, "/conversations/\(id)/replies", #"{"reply":{"text":"Szia, Anna vagyok, miben segíthetek?"}}"#)
            #expect(reply.status == 202)
            let sent = try await gateway.upstream.waitForRequests(2)
            #expect((sent[1].json["message"] as? NSDictionary)?["text"] as? String == "Szia, Anna vagyok, miben segíthetek?")

            #expect(try await Self.post(gateway, "/conversations/\(id)/release").status == 200)
            let closed = try await gateway.admin("/handoffs?state=closed").json["items"] as? [NSDictionary] ?? []
            #expect(closed.count == 1)
            _ = try await gateway.webhook(Messenger.body(Messenger.text("h3", from: "U1", "Köszönöm!")))
            let back = try await gateway.upstream.waitForRequests(3)
            #expect(((back[2].json["message"] as? NSDictionary)?["text"] as? String)?.hasPrefix("Szívesen") == true)

            #expect(try await Self.post(gateway, "/conversations/999999/takeover").status == 404)
            #expect(try await gateway.admin("/handoffs?state=bogus").status == 400)
        }
    }

    @Test("a conversation whose operator stays idle goes back to the bot")
    func idleReturn() async throws {
        try await GatewayHarness.run(configure: {
            GatewayHarness.demoWithoutCatalog(&$0)
            $0.agent.humanIdle = .milliseconds(400)
        }) { gateway in
            _ = try await gateway.webhook(Messenger.body(Messenger.text("i1", from: "U1", "Embert kérek")))
            _ = try await gateway.upstream.waitForRequests(1)
            try await Task.sleep(for: .milliseconds(600))
            _ = try await gateway.webhook(Messenger.body(Messenger.text("i2", from: "U1", "Mikor vagytok nyitva?")))
            let requests = try await gateway.upstream.waitForRequests(2)
            #expect(((requests[1].json["message"] as? NSDictionary)?["text"] as? String)?.contains("hétköznap") == true)
            let open = try await gateway.admin("/handoffs?state=open").json["items"] as? [NSDictionary] ?? []
            #expect(open.isEmpty)
        }
    }

    @Test("an unsubscribe is stored as consent and stops later marketing; answers carry their graph metadata", arguments: TestDatabase.engines)
    func consent(engine: TestDatabase) async throws {
        try await GatewayHarness.run(engine: engine) { gateway in
            _ = try await gateway.webhook(Messenger.body(Messenger.text("c1", from: "U1", "Iratkozzatok le a hírlevélről")))
            let told = try await gateway.upstream.waitForRequests(1)
            #expect(((told[0].json["message"] as? NSDictionary)?["text"] as? String)?.contains("Leiratkoztattalak") == true)
            let id = try await Self.conversationID(gateway)
            let consents = try await gateway.request(
                .GET, "/api/v1/admin/conversations/\(id)/consents", headers: [("Authorization", "Bearer \(GatewayHarness.adminKey)")])
            let list = try #require(try JSONSerialization.jsonObject(with: Data(consents.body.utf8)) as? [NSDictionary])
            #expect(list.map { $0["topic"] as? String } == ["newsletter"])
            #expect(list.first?["granted"] as? Bool == false)

            let items = try await gateway.admin("/conversations/\(id)/messages").json["items"] as? [NSDictionary] ?? []
            let answer = try #require(items.first { $0["direction"] as? String == "out" })
            let metadata = try #require(answer["metadata"] as? NSDictionary)
            #expect(metadata["agent_type"] as? String == "marketing")
            let nodes = (metadata["nodes"] as? [NSDictionary])?.compactMap { $0["node"] as? String }
            #expect(nodes == ["input_guardrails", "coordinator", "marketing", "output_guardrails"])

            // A marketing message for the newsletter topic is withheld: the customer said no.
            let promo = try await Self.post(
                gateway, "/conversations/\(id)/replies", #"{"reply":{"text":"Új akció!"},"consent_topic":"newsletter"}"#)
            #expect(promo.status == 202)
            let deadline = ContinuousClock.now + .seconds(10)
            var status: String?
            while ContinuousClock.now < deadline, status != "suppressed" {
                let latest = try await gateway.admin("/conversations/\(id)/messages").json["items"] as? [NSDictionary] ?? []
                status = latest.first { $0["text"] as? String == "Új akció!" }?["status"] as? String
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(status == "suppressed")
            #expect(await gateway.upstream.requests.count == 1)

            let metrics = try await gateway.request(.GET, "/metrics")
            #expect(metrics.body.contains(#"chatbuddy_agent_node_outcomes_total{node="coordinator",outcome="routed:marketing"} 1"#))
        }
    }
}
