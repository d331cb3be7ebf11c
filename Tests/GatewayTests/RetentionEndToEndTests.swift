import ChatModel
import Foundation
import Gateway
import Storage
import TestSupport
import Testing

/// The gateway applies its retention policy by itself: at start, then hourly.
@Suite("Retention, end to end")
struct RetentionEndToEndTests {
    @Test("a gateway starting on a database with a conversation older than the policy deletes it and keeps a recent one")
    func appliedAtStart() async throws {
        let databaseURL = try await TestDatabase.sqlite.makeURL()
        try await Gateway.withStore(url: databaseURL, logger: TestDatabase.logger) { store in
            for (user, age) in [("OLD-1", 400.0), ("NEW-1", 10.0)] {
                let date = Date().addingTimeInterval(-age * 86_400)
                let key = ConversationKey(channel: .messenger, accountID: Messenger.page, userID: user)
                let outcome = try await store.accept(
                    [InboundEvent(conversation: key, platformID: "r-\(user)", timestamp: date, content: .text("szia"))], receivedAt: date)
                // Answered back then: nothing is left for the gateway to do in it.
                let id = try #require(outcome.conversationsToRun.first)
                let pending = try #require(try await store.nextPendingEvent(conversationID: id))
                try await store.complete(pending, locale: nil, outbound: [], effects: TurnEffects(), failure: nil, at: date)
            }
        }
        let upstream = FakeUpstream()
        try await upstream.serve { graphURL in
            let config = GatewayHarness.config(graphURL: graphURL, databaseURL: databaseURL)
            try await GatewayHarness.run(config: config, upstream: upstream) { gateway in
                let deadline = ContinuousClock.now + .seconds(10)
                var users: [String] = []
                repeat {
                    let page = try await gateway.admin("/conversations?channel=messenger").json["items"] as? [NSDictionary] ?? []
                    users = page.compactMap { $0["user_id"] as? String }
                    if users == ["NEW-1"] { break }
                    try await Task.sleep(for: .milliseconds(50))
                } while ContinuousClock.now < deadline
                #expect(users == ["NEW-1"])
            }
        }
    }
}
