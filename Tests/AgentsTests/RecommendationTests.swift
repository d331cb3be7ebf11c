import Agents
import ChatModel
import Foundation
import Testing
import Webshop

/// Recommendations about a product the message names: cheaper than it, like it, or going with it.
@Suite("Recommendations about a named product")
struct RecommendationTests {
    static func cards(_ text: String) async throws -> (AgentResponse, [Product]) {
        var dialogue = Dialogue(try await AgentHarness.graph())
        let answer = try await dialogue.say(text)
        let shop = AgentHarness.sampleShop()
        var products: [Product] = []
        for sku in answer.replies.flatMap({ $0.cards ?? [] }).compactMap(\.sku) {
            if let product = try await shop.product(sku: sku) { products.append(product) }
        }
        return (answer, products)
    }

    static let now = Date()

    @Test("cheaper than the named product: its category, below its price, never itself")
    func cheaper() async throws {
        let (answer, products) = try await Self.cards("Van olcsóbb a Samsung Galaxy A55-nél?")
        #expect(answer.agent == .recommendation)
        #expect(!products.isEmpty)
        #expect(products.allSatisfy { $0.category == "Műszaki|Mobiltelefonok" && !$0.name.contains("A55") && $0.currentPrice(at: Self.now) < 134_990 })
    }

    @Test("similar to the named product: its category and price band, other models")
    func similar() async throws {
        let (answer, products) = try await Self.cards("Valami hasonlót ajánlanál, mint a JBL Tune 520BT?")
        #expect(answer.agent == .recommendation)
        #expect(!products.isEmpty)
        #expect(products.allSatisfy { $0.category == "Műszaki|Fejhallgatók" && !$0.name.contains("520BT") })
    }

    @Test("what goes with the named product: the shop's pairings, then other categories of its department, never an unrelated one")
    func together() async throws {
        let (answer, products) = try await Self.cards("Mi illik a Samsung Galaxy A55 mellé?")
        #expect(answer.agent == .recommendation)
        #expect(products.count >= 3)
        #expect(products.allSatisfy { $0.category?.hasPrefix("Műszaki|") == true && !$0.name.contains("A55") })
        // The demo shop pairs nothing with headphones: the department's other categories answer.
        let (_, forHeadphones) = try await Self.cards("Mit vegyek még a Sony WH-1000XM5 mellé?")
        #expect(!forHeadphones.isEmpty)
        #expect(forHeadphones.allSatisfy { $0.category?.hasPrefix("Műszaki|") == true && $0.category != "Műszaki|Fejhallgatók" })
    }
}
