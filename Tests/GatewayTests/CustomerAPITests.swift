import Foundation
import TestSupport
import Testing

/// The admin API's customers: search, one customer, link and unlink, and the audited export.
@Suite("Customers through the admin API")
struct CustomerAPITests {
    static let bearer = [("Authorization", "Bearer \(GatewayHarness.adminKey)"), ("Content-Type", "application/json")]

    @Test("found by platform id, exported with their messages (audited), linked and unlinked; bad requests answered", arguments: TestDatabase.engines)
    func customers(engine: TestDatabase) async throws {
        try await GatewayHarness.run(engine: engine) { gateway in
            for user in ["CU-1", "CU-2"] {
                #expect(try await gateway.webhook(Messenger.body(Messenger.text("cm-\(user)", from: user, "Szia, itt \(user)"))).status == 200)
            }
            try await gateway.waitForMessages(channel: "messenger") { $0.contains { $0["direction"] as? String == "out" } }
            func customer(_ user: String) async throws -> NSDictionary {
                let page = try await gateway.admin("/customers?q=\(user)").json
                let items = try #require(page["items"] as? [NSDictionary])
                #expect(items.count == 1)
                return try #require(items.first)
            }
            let first = try await customer("cu-1")
            let second = try await customer("CU-2")
            let firstID = try #require(first["id"] as? Int)
            let secondID = try #require(second["id"] as? Int)
            #expect(((first["identities"] as? [NSDictionary])?.first?["platform_user_id"] as? String) == "CU-1")

            let export = try await gateway.admin("/customers/\(firstID)/export")
            #expect(export.status == 200)
            let tables = try #require(export.json["tables"] as? NSDictionary)
            let messages = try #require(tables["messages"] as? [NSDictionary])
            #expect(messages.contains { $0["text"] as? String == "Szia, itt CU-1" })
            #expect(messages.contains { $0["direction"] as? String == "out" })
            #expect(!export.body.contains("CU-2"), "nobody else's data")
            let audit = try #require(try await gateway.admin("/audit-log").json["items"] as? [NSDictionary])
            #expect(audit.contains { $0["action"] as? String == "export" && $0["detail"] as? String == "customer \(firstID)" })

            let linked = try await gateway.request(
                .POST, "/api/v1/admin/customers/\(firstID)/link", headers: Self.bearer, body: Data(#"{"customer_id":\#(secondID)}"#.utf8))
            #expect(linked.status == 200)
            let identities = try #require(linked.json["identities"] as? [NSDictionary])
            #expect(identities.compactMap { $0["platform_user_id"] as? String } == ["CU-1", "CU-2"])
            #expect(try await gateway.admin("/customers/\(secondID)").status == 404)
            let participant = try #require(identities.last?["participant_id"] as? Int)
            let unlinked = try await gateway.request(
                .POST, "/api/v1/admin/customers/\(firstID)/unlink", headers: Self.bearer, body: Data(#"{"participant_id":\#(participant)}"#.utf8))
            #expect(unlinked.status == 200)
            #expect(((unlinked.json["identities"] as? [NSDictionary])?.first?["platform_user_id"] as? String) == "CU-2")

            let bad = try await gateway.request(.POST, "/api/v1/admin/customers/\(firstID)/link", headers: Self.bearer, body: Data("{}".utf8))
            #expect(bad.status == 400)
            #expect(try await gateway.admin("/customers/999999/export").status == 404)
            #expect(try await gateway.request(.GET, "/api/v1/admin/customers").status == 401)
        }
    }

    @Test("erasure is for admins: an operator is refused, an admin erases, and the audit entry counts without naming", arguments: TestDatabase.engines)
    func erase(engine: TestDatabase) async throws {
        try await ConsoleAPITests.run(engine: engine) { gateway, anna, kata in
            #expect(try await gateway.webhook(Messenger.body(Messenger.text("er-1", from: "ERASE-ME", "Szia, a nevem Titok Tamás"))).status == 200)
            try await gateway.waitForMessages(channel: "messenger") { $0.contains { $0["direction"] as? String == "out" } }
            let found = try await ConsoleAPITests.call(gateway, anna, .GET, "/customers?q=erase-me").json["items"] as? [NSDictionary] ?? []
            let id = try #require(found.first?["id"] as? Int)

            #expect(try await ConsoleAPITests.call(gateway, kata, .DELETE, "/customers/\(id)").errorCode == "admin_only")
            #expect(try await ConsoleAPITests.call(gateway, anna, .DELETE, "/customers/\(id)", csrf: "wrong").status == 403)
            let erased = try await ConsoleAPITests.call(gateway, anna, .DELETE, "/customers/\(id)")
            #expect(erased.status == 200)
            #expect(erased.json["conversations"] as? Int == 1 && (erased.json["messages"] as? Int ?? 0) >= 2)
            #expect(try await ConsoleAPITests.call(gateway, anna, .GET, "/customers/\(id)").status == 404)
            #expect(try await ConsoleAPITests.call(gateway, anna, .DELETE, "/customers/\(id)").status == 404)
            #expect(try await gateway.messages(channel: "messenger").isEmpty)
            let audit = try await ConsoleAPITests.call(gateway, anna, .GET, "/audit-log")
            let entry = try #require((audit.json["items"] as? [NSDictionary])?.first { $0["action"] as? String == "erase" })
            #expect(entry["actor"] as? String == "anna@bolt.example.hu")
            #expect((entry["detail"] as? String)?.hasPrefix("customer \(id): 1 conversations") == true)
            #expect(!audit.body.contains("ERASE-ME") && !audit.body.contains("Titok"))
        }
    }
}
