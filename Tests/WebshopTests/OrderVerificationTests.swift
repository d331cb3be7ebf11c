import Foundation
import Storage
import TestSupport
import Testing

@testable import Webshop

@Suite("Failed order verifications are counted in the store, per requester and per order number")
struct OrderVerificationTests {
    @Test("guessing across order numbers, or at one order from many requesters, is locked after five failures", arguments: TestDatabase.engines)
    func lockouts(engine: TestDatabase) async throws {
        let order = try UNASClientTests.fixture("getOrder_docs_example.xml")
        let upstream = FakeUpstream()
        await upstream.enqueue([UNASClientTests.login("t")] + Array(repeating: .init(status: 200, body: order), count: 12))
        try await engine.withStore { store in
            try await upstream.serve { base in
                let shop = UNASWebshop(
                    catalog: Catalog(), client: UNASClient(baseURL: base, apiKey: "k"), verifications: OrderVerifications(store: store))
                // One requester trying a new order number each time (a per-conversation count started over each time).
                for number in 1...5 {
                    #expect(try await shop.order(key: "1000-\(number)", verification: "guess\(number)@example.hu", requester: "sms:+36301") == nil)
                }
                await #expect(throws: WebshopError.self) {
                    try await shop.order(key: "1000-1000000", verification: "unas@unas.hu", requester: "sms:+36301")
                }
                let afterFirst = await upstream.requests.count
                #expect(afterFirst == 6, "a locked requester does not reach the shop")

                // Five requesters (any channel) at one order number lock the order for everyone.
                for requester in ["widget:a", "widget:b", "messenger:c", "email:d@x.hu", "whatsapp:36"] {
                    #expect(try await shop.order(key: "1000-1000000", verification: "nope@example.hu", requester: requester) == nil)
                }
                do {
                    _ = try await shop.order(key: "1000-1000000", verification: "unas@unas.hu", requester: "telegram:7")
                    Issue.record("the order number should be locked")
                } catch WebshopError.verificationLocked(let until) {
                    #expect(until > Date().addingTimeInterval(3000))
                }
                // A requester in good standing verifies another order, and its earlier failures are forgotten.
                #expect(try await shop.order(key: "2000", verification: "x@example.hu", requester: "widget:e") == nil)
                #expect(try await shop.order(key: "1000-1000001", verification: "unas@unas.hu", requester: "widget:e")?.key == "1000-1000000")
                #expect(try await store.verificationLockedUntil(subjects: ["requester:widget:e"], now: Date()) == nil)
            }
        }
    }
}
