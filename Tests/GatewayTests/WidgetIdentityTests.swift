import Crypto
import Foundation
import TestSupport
import Testing

/// The shop's logged-in customer on the widget: `user_id` counts only with `user_hash`, the shop server's
/// HMAC-SHA256 of it keyed with `widget.identity_secret`.
@Suite("Widget identity")
struct WidgetIdentityTests {
    static let secret = "shop-secret-0123456789"

    static func hash(_ id: String, secret: String = secret) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(id.utf8), using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    @Test("a signed id is shown back and links every session of it to one customer; a wrong or missing hash is ignored", arguments: TestDatabase.engines)
    func identity(engine: TestDatabase) async throws {
        try await GatewayHarness.run(engine: engine, configure: { $0.widget?.identitySecret = Self.secret }) { gateway in
            func converse(_ session: String, query: String) async throws -> WidgetTestClient.Frame {
                let socket = gateway.widget(session, query: query)
                let hello = try await socket.next("connection_established")
                _ = try await socket.next("history")
                _ = socket.say("Szia!")
                _ = try await socket.next("chat_response", timeout: .seconds(10))
                try await socket.close()
                return hello
            }
            func customer(_ session: String) async throws -> NSDictionary {
                let items = try await gateway.admin("/customers?q=\(session)").json["items"] as? [NSDictionary] ?? []
                #expect(items.count == 1)
                return try #require(items.first)
            }
            let signed = try await converse("identity-tab-1", query: "?user_id=shop-42&user_hash=\(Self.hash("shop-42"))")
            #expect(signed["user_id"] as? String == "shop-42")
            // A second browser of the same logged-in customer: the same customer.
            _ = try await converse("identity-tab-2", query: "?user_id=shop-42&user_hash=\(Self.hash("shop-42").uppercased())")
            let linked = try await customer("identity-tab-1")
            #expect(linked["shop_customer_id"] as? String == "shop-42")
            #expect((linked["identities"] as? [NSDictionary])?.compactMap { $0["platform_user_id"] as? String } == ["identity-tab-1", "identity-tab-2"])

            // Someone claiming that id without the signature gets nothing of it.
            for (session, query) in [
                ("identity-forged-1", "?user_id=shop-42&user_hash=\(Self.hash("shop-42", secret: "another-secret-0000"))"),
                ("identity-forged-2", "?user_id=shop-42"), ("identity-forged-3", "?user_id=shop-42&user_hash=zz"),
            ] {
                let hello = try await converse(session, query: query)
                #expect(hello["user_id"] == nil || hello["user_id"] is NSNull)
                let alone = try await customer(session)
                #expect(alone["id"] as? Int != linked["id"] as? Int && (alone["shop_customer_id"] == nil || alone["shop_customer_id"] is NSNull))
            }
            // The REST turn takes the same signature.
            let turn = try await gateway.chat(
                #"{"session_id":"identity-rest-1","content":"Szia!","user_id":"shop-42","user_hash":"\#(Self.hash("shop-42"))"}"#)
            #expect(turn.status == 200)
            #expect(try await customer("identity-rest-1")["id"] as? Int == linked["id"] as? Int)
        }
    }

    @Test("without a secret no id is taken, signed or not")
    func noSecret() async throws {
        try await GatewayHarness.run { gateway in
            let socket = gateway.widget("identity-nosecret-1", query: "?user_id=shop-42&user_hash=\(Self.hash("shop-42"))")
            let hello = try await socket.next("connection_established")
            #expect(hello["user_id"] == nil || hello["user_id"] is NSNull)
            try await socket.close()
        }
    }
}
