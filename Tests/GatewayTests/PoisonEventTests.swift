import Foundation
import TestSupport
import Testing

@Suite("An inbound event that fails every time")
struct PoisonEventTests {
    @Test("is parked with its reason after its attempts, visible in the admin API, and the conversation goes on", arguments: TestDatabase.engines)
    func poisonedEventIsParked(engine: TestDatabase) async throws {
        var databaseURL = ""
        try await GatewayHarness.run(engine: engine, configure: { databaseURL = $0.storage.url }) { gateway in
            _ = try await gateway.webhook(Messenger.body(Messenger.text("p1", from: "U1", "szia")))
            _ = try await gateway.upstream.waitForRequests(1)
            let conversation = try #require((try await gateway.admin("/conversations").json["items"] as? [NSDictionary])?.first?["id"] as? Int)
            // A stored event whose body cannot be read back: every attempt at it fails.
            let now = Int(Date().timeIntervalSince1970 * 1000)
            try await TestDatabase.execute([
                """
                INSERT INTO messages (conversation_id, direction, channel, platform_message_id, kind, text, body, status, created_at, updated_at)
                VALUES (\(conversation), 'in', 'messenger', 'poison-1', 'text', 'x', '{"not an event', 'received', \(now), \(now))
                """
            ], on: databaseURL)
            _ = try await gateway.webhook(Messenger.body(Messenger.text("p2", from: "U1", "mennyi a szállítás?")))
            let requests = try await gateway.upstream.waitForRequests(2, timeout: .seconds(20))
            #expect(requests.count == 2)
            let parked = try #require(try await gateway.admin("/parked-events").json["items"] as? [NSDictionary])
            #expect(parked.count == 1)
            #expect(parked.first?["conversation_id"] as? Int == conversation)
            #expect(parked.first?["attempts"] as? Int == 5)
            #expect((parked.first?["error"] as? String)?.contains("cannot be decoded") == true)
        }
    }
}
