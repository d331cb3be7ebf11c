import Foundation
import Gateway
import TestSupport
import Testing

/// Hand-off notifications (a webhook and an e-mail, as durable jobs) and Messenger's HUMAN_AGENT tag for a
/// person's late reply, against fake upstreams on 127.0.0.1.
@Suite("Operator notifications and late human replies")
struct OperatorNotificationTests {
    /// A gateway whose hand-offs are announced to `hooks` (a webhook, and e-mail through SendGrid there).
    static func run(
        engine: TestDatabase = .sqlite, databaseURL: String? = nil, hooks: FakeUpstream, email: Bool = false,
        _ body: (GatewayHarness) async throws -> Void
    ) async throws {
        let databaseURL = if let databaseURL { databaseURL } else { try await engine.makeURL() }
        try await hooks.serve { hooksURL in
            let upstream = FakeUpstream()
            try await upstream.serve { graphURL in
                var config = GatewayHarness.config(graphURL: graphURL, databaseURL: databaseURL)
                GatewayHarness.demoWithoutCatalog(&config)
                config.operators.notifyWebhookURL = hooksURL + "/hooks/operators"
                if email {
                    EmailEndToEndTests.configure(&config)
                    config.email?.apiBaseURL = hooksURL
                    config.operators.notifyEmail = "ugyelet@bolt.example.hu"
                }
                try await GatewayHarness.run(config: config, upstream: upstream, body)
            }
        }
    }

    static func hookRequests(_ hooks: FakeUpstream, path: String, count: Int, timeout: Duration = .seconds(15)) async throws -> [FakeUpstream.Request] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let matching = await hooks.requests.filter { $0.path == path }
            if matching.count >= count { return matching }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("expected \(count) requests to \(path)")
        return await hooks.requests.filter { $0.path == path }
    }

    @Test("a hand-off is posted to the operators' webhook with text, conversation, channel, customer, reason and console link; a 500 is retried",
        arguments: TestDatabase.engines)
    func webhook(engine: TestDatabase) async throws {
        let hooks = FakeUpstream()
        await hooks.enqueue([.init(status: 500, body: "busy")])
        try await Self.run(engine: engine, hooks: hooks) { gateway in
            let id = try await ConsoleAPITests.customerAsksForAPerson(gateway, user: "U5")
            let posts = try await Self.hookRequests(hooks, path: "/hooks/operators", count: 2)
            #expect(posts.count == 2, "the failed post is retried, and not repeated once it got through")
            let body = try #require(posts.last?.json)
            #expect(body["conversation_id"] as? Int == id && body["channel"] as? String == "messenger" && body["customer"] as? String == "U5")
            #expect(body["reason"] as? String == "Élő ügyintézővel szeretnék beszélni")
            #expect((body["console_url"] as? String)?.hasSuffix("/console?conversation=\(id)") == true)
            #expect((body["text"] as? String)?.contains("U5") == true)
            try await Task.sleep(for: .milliseconds(300))
            #expect(await hooks.requests.count == 2)
        }
    }

    @Test("a hand-off is e-mailed to the operators' address through the e-mail channel")
    func email() async throws {
        let hooks = FakeUpstream()
        try await Self.run(hooks: hooks, email: true) { gateway in
            _ = try await ConsoleAPITests.customerAsksForAPerson(gateway, user: "U6")
            let mails = try await Self.hookRequests(hooks, path: "/v3/mail/send", count: 1)
            let mail = try #require(mails.first?.json)
            let to = ((mail["personalizations"] as? [NSDictionary])?.first?["to"] as? [NSDictionary])?.first?["email"] as? String
            #expect(to == "ugyelet@bolt.example.hu")
            #expect((mail["subject"] as? String)?.contains("U6") == true)
            #expect(((mail["content"] as? [NSDictionary])?.first?["value"] as? String)?.contains("Élő ügyintézővel") == true)
            #expect((mail["headers"] as? NSDictionary)?["Auto-Submitted"] as? String == "auto-generated")
        }
    }

    @Test("a notification that could not go out before a restart goes out after it", arguments: TestDatabase.engines)
    func survivesRestart(engine: TestDatabase) async throws {
        let databaseURL = try await engine.makeURL()
        let down = FakeUpstream()
        await down.enqueue(Array(repeating: .init(status: 503, body: "down"), count: 20))
        try await Self.run(databaseURL: databaseURL, hooks: down) { gateway in
            _ = try await ConsoleAPITests.customerAsksForAPerson(gateway, user: "U8")
            _ = try await Self.hookRequests(down, path: "/hooks/operators", count: 1)
        }
        let up = FakeUpstream()
        try await Self.run(databaseURL: databaseURL, hooks: up) { _ in
            let posts = try await Self.hookRequests(up, path: "/hooks/operators", count: 1)
            #expect(posts.first?.json["customer"] as? String == "U8")
        }
    }

    @Test("a person's reply on Messenger after 24 hours goes tagged HUMAN_AGENT; after 7 days it is not sent", arguments: TestDatabase.engines)
    func humanAgentTag(engine: TestDatabase) async throws {
        try await GatewayHarness.run(engine: engine) { gateway in
            let day = 24 * 3600 * 1000
            _ = try await gateway.webhook(Messenger.body(Messenger.text("old1", from: "U2", "Szia!", at: Messenger.now() - 2 * day)))
            _ = try await gateway.webhook(Messenger.body(Messenger.text("old2", from: "U3", "Szia!", at: Messenger.now() - 8 * day)))
            let conversations = try await gateway.admin("/conversations?channel=messenger").json["items"] as? [NSDictionary] ?? []
            let twoDays = try #require(conversations.first { $0["user_id"] as? String == "U2" }?["id"] as? Int)
            let eightDays = try #require(conversations.first { $0["user_id"] as? String == "U3" }?["id"] as? Int)
            try await HandoffEndToEndTests.handled(gateway, conversation: twoDays, text: "Szia!")
            try await HandoffEndToEndTests.handled(gateway, conversation: eightDays, text: "Szia!")
            #expect(await gateway.upstream.requests.isEmpty, "the bot's answers are outside the 24-hour window")

            #expect(try await gateway.operatorReply(conversation: twoDays, #"{"reply":{"text":"Bocsánat a késésért!"}}"#).status == 202)
            let sent = try await gateway.upstream.waitForRequests(1)
            #expect(sent[0].json["messaging_type"] as? String == "MESSAGE_TAG" && sent[0].json["tag"] as? String == "HUMAN_AGENT")

            #expect(try await gateway.operatorReply(conversation: eightDays, #"{"reply":{"text":"Bocsánat a késésért!"}}"#).status == 202)
            let deadline = ContinuousClock.now + .seconds(10)
            var status: String?
            var error: String?
            while ContinuousClock.now < deadline, status != "suppressed" {
                let latest = (try await gateway.admin("/conversations/\(eightDays)/messages").json["items"] as? [NSDictionary])?.first
                status = latest?["status"] as? String
                error = latest?["error"] as? String
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(status == "suppressed" && error?.contains("168-hour human agent window") == true)
            #expect(await gateway.upstream.requests.count == 1)
        }
    }
}
