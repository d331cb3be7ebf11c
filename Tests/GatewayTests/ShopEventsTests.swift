import Channels
import Foundation
import TestSupport
import Testing

/// `POST /api/v1/events`: the shop's signed events, checked, stored once and tied to the customer they name.
@Suite("Shop events")
struct ShopEventsTests {
    static let secret = "shop-events-secret-42"

    static func post(_ gateway: GatewayHarness, _ json: String, signature: String? = nil) async throws -> GatewayHarness.Answer {
        let body = Data(json.utf8)
        let header = signature ?? MetaSignature(appSecret: secret).header(for: body)
        return try await gateway.request(
            .POST, "/api/v1/events", headers: [("Content-Type", "application/json"), ("X-ChatBuddy-Signature", header)], body: body)
    }

    @Test("signed events are stored once; unsigned, malformed and incomplete ones are refused with a reason", arguments: TestDatabase.engines)
    func events(engine: TestDatabase) async throws {
        try await GatewayHarness.run(engine: engine, configure: { $0.shopEventsSecret = Self.secret }) { gateway in
            // A widget visitor the shop's cart event names by their session.
            let reply = try await gateway.chat(#"{"session_id":"cart-session-1","content":"Szia!"}"#)
            #expect(reply.status == 200)
            let cart = #"{"id":"ev-1","type":"cart_updated","cart_id":"c-9","customer":{"widget_session":"cart-session-1"},"items":[{"sku":"BOGRE-PIROS-300","quantity":2,"price":3490}],"url":"https://bolt.example.hu/kosar"}"#
            let first = try await Self.post(gateway, cart)
            #expect(first.status == 202 && first.json["duplicate"] as? Bool == false)
            let again = try await Self.post(gateway, cart)
            #expect(again.status == 200 && again.json["duplicate"] as? Bool == true, "a retry is stored once")

            #expect(try await Self.post(gateway, cart, signature: "sha256=" + String(repeating: "0", count: 64)).status == 401)
            #expect(try await gateway.request(.POST, "/api/v1/events", body: Data(cart.utf8)).status == 401)
            for (json, code) in [
                ("not json", "invalid_json"),
                (#"{"id":"ev-2","type":"cart_emptied","customer":{"email":"a@b.hu"}}"#, "unknown_event_type"),
                (#"{"id":"ev-3","type":"order_placed","customer":{"email":"a@b.hu"},"order_id":"1042"}"#, "invalid_event"),
                (#"{"id":"ev-4","type":"order_status_changed","customer":{"email":"a@b.hu"},"order_id":"1042","status":"lost"}"#, "invalid_event"),
                (#"{"id":"ev-5","type":"order_placed","customer":{"nickname":"x"},"order_id":"1042","cart_id":"c-9"}"#, "invalid_event"),
                (#"{"id":"ev-6","type":"cart_updated","cart_id":"c","customer":{"email":"a@b.hu"},"url":"u","items":[{"sku":"S","quantity":0,"price":1}]}"#, "invalid_event"),
            ] {
                let answer = try await Self.post(gateway, json)
                #expect(answer.status == 400 && answer.errorCode == code, "\(json): \(answer.body)")
            }
            let shipped = #"{"id":"ev-7","type":"order_status_changed","order_id":"1042","status":"shipped","tracking_url":"https://t.example/1","customer":{"email":"vevo@example.hu"}}"#
            #expect(try await Self.post(gateway, shipped).status == 202, "a customer not known yet is fine")

            // The cart event is part of the visitor's data.
            let customer = try #require((try await gateway.admin("/customers?q=cart-session-1").json["items"] as? [NSDictionary])?.first)
            let export = try await gateway.admin("/customers/\(try #require(customer["id"] as? Int))/export")
            let events = (export.json["tables"] as? NSDictionary)?["shop_events"] as? [NSDictionary] ?? []
            #expect(events.compactMap { $0["id"] as? String } == ["ev-1"])
        }
    }

    @Test("without a secret the route is closed")
    func closed() async throws {
        try await GatewayHarness.run { gateway in
            let answer = try await Self.post(gateway, #"{"id":"x"}"#)
            #expect(answer.status == 404)
        }
    }
}
