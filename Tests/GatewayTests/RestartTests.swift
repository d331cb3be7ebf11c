import Foundation
import Gateway
import Storage
import TestSupport
import Testing
import ChatModel

@Suite("Restarts lose nothing and double nothing")
struct RestartTests {
    static let users = ["U1", "U2", "U3"]

    static func webhooks() -> [String] {
        users.enumerated().map { index, user in Messenger.body(Messenger.text("restart-\(index)", from: user, "szia")) }
    }

    @Test("acknowledged webhooks whose replies were not sent yet are sent exactly once after a restart", arguments: TestDatabase.engines)
    func outboxSurvivesRestart(engine: TestDatabase) async throws {
        let databaseURL = try await engine.makeURL()
        let down = FakeUpstream()
        await down.enqueue(Array(repeating: .init(status: 503), count: 1000))
        let firstAttempts = try await down.serve { graphURL in
            var config = GatewayHarness.config(graphURL: graphURL, databaseURL: databaseURL)
            config.delivery.maxAttempts = 1000
            try await GatewayHarness.run(config: config, upstream: down) { gateway in
                for body in Self.webhooks() { #expect(try await gateway.webhook(body).status == 200) }
                // Every user's reply was attempted at least once (retries of one may come before another's first).
                var attempts = 3
                while Set(try await down.waitForRequests(attempts).map { ($0.json["recipient"] as? NSDictionary)?["id"] as? String ?? "" }).count < 3 {
                    attempts += 1
                }
            }
            return await down.requests
        }
        let up = FakeUpstream()
        try await up.serve { graphURL in
            let config = GatewayHarness.config(graphURL: graphURL, databaseURL: databaseURL)
            try await GatewayHarness.run(config: config, upstream: up) { gateway in
                // Meta retries the webhooks too: they are acknowledged and ignored.
                for body in Self.webhooks() { #expect(try await gateway.webhook(body).status == 200) }
                let sent = try await up.waitForRequests(3)
                try await Task.sleep(for: .milliseconds(500))
                #expect(await up.requests.count == 3)
                #expect(Set(sent.map { ($0.json["recipient"] as? NSDictionary)?["id"] as? String ?? "" }) == Set(Self.users))
                // The very bytes rendered before the restart.
                #expect(Set(sent.map(\.body)).isSubset(of: Set(firstAttempts.map(\.body))))
            }
        }
    }

    @Test("a paused pipeline stores and acknowledges without answering; a start without the pause answers each once", arguments: TestDatabase.engines)
    func pausedPipeline(engine: TestDatabase) async throws {
        let databaseURL = try await engine.makeURL()
        let quiet = FakeUpstream()
        try await quiet.serve { graphURL in
            var config = GatewayHarness.config(graphURL: graphURL, databaseURL: databaseURL)
            config.agent.paused = true
            try await GatewayHarness.run(config: config, upstream: quiet) { gateway in
                for body in Self.webhooks() { #expect(try await gateway.webhook(body).status == 200) }
                let conversations = try await gateway.admin("/conversations").json["items"] as? [NSDictionary] ?? []
                #expect(conversations.count == 3)
                try await Task.sleep(for: .seconds(1))
            }
        }
        #expect(await quiet.requests.isEmpty)
        let up = FakeUpstream()
        try await up.serve { graphURL in
            let config = GatewayHarness.config(graphURL: graphURL, databaseURL: databaseURL)
            try await GatewayHarness.run(config: config, upstream: up) { gateway in
                let sent = try await up.waitForRequests(3, timeout: .seconds(30))
                try await Task.sleep(for: .milliseconds(500))
                #expect(await up.requests.count == 3)
                #expect(Set(sent.map { ($0.json["recipient"] as? NSDictionary)?["id"] as? String ?? "" }) == Set(Self.users))
            }
        }
    }

    @Test("shutdown finishes the work in hand without waiting for the whole backlog")
    func shutdownDoesNotWaitForBacklog() async throws {
        let down = FakeUpstream()
        await down.enqueue(Array(repeating: .init(status: 503), count: 100_000))
        let clock = ContinuousClock()
        var stoppedAt = clock.now
        let configure: (inout GatewayConfig) -> Void = {
            $0.delivery.maxAttempts = 1000
            $0.delivery.concurrency = 2
            $0.delivery.initialBackoff = .milliseconds(1)
            $0.delivery.maxBackoff = .milliseconds(1)
        }
        try await GatewayHarness.run(upstream: down, configure: configure) { gateway in
            // More conversations than sends in flight: some retry is always due while the upstream is down.
            for batch in 0..<5 {
                let events = (0..<40).map { Messenger.text("backlog-\(batch)-\($0)", from: "B\($0)", "szia") }
                #expect(try await gateway.webhook(Messenger.body(entries: [events])).status == 200)
            }
            // However long a busy machine takes to get there: what is measured is the stop that follows.
            _ = try await down.waitForRequests(100, timeout: .seconds(60))
            stoppedAt = clock.now
        }
        #expect(clock.now - stoppedAt < .seconds(5))
    }

    @Test("events stored before a crash but never handled are answered on start")
    func resumesUnhandledEvents() async throws {
        let databaseURL = try await TestDatabase.sqlite.makeURL()
        let store = try await SQLStore.open(url: databaseURL, logger: TestDatabase.logger)
        try await store.migrate()
        let key = ConversationKey(channel: .messenger, accountID: Messenger.page, userID: "U9")
        let events = (1...2).map {
            InboundEvent(conversation: key, platformID: "stored-\($0)", timestamp: Date(), content: .text($0 == 1 ? "szia" : "köszönöm"))
        }
        _ = try await store.accept(events, receivedAt: Date())
        try await store.close()

        let upstream = FakeUpstream()
        try await upstream.serve { graphURL in
            let config = GatewayHarness.config(graphURL: graphURL, databaseURL: databaseURL)
            try await GatewayHarness.run(config: config, upstream: upstream) { _ in
                let sent = try await upstream.waitForRequests(2)
                let texts = sent.map { ($0.json["message"] as? NSDictionary)?["text"] as? String ?? "" }
                #expect(texts[0].hasPrefix("Szia!"))
                #expect(texts[1].hasPrefix("Szívesen!"))
            }
        }
    }
}
