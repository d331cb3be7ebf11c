import Agents
import ChatModel
import Foundation
import Testing
import Webshop

/// A product that is out of stock is found, said to be, and shown with in-stock products like it.
@Suite("Answers about products out of stock")
struct StockAnswerTests {
    @Test("when is it back: the product first, said to be out of stock, then in-stock products of its category")
    func backInStock() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        let answer = try await dialogue.say("Mikor lesz újra Garmin Venu Sq 2?")
        #expect(answer.agent == .productInfo)
        let text = answer.replies.compactMap(\.text).joined(separator: " ")
        #expect(text.contains("nincs raktáron") && text.contains("nincs adatom"), "says so, and that the feed has no date")
        let skus = answer.replies.flatMap { $0.cards ?? [] }.compactMap(\.sku)
        #expect(skus.first == "ORA-004")
        let shop = AgentHarness.sampleShop()
        let alternatives = try await skus.dropFirst().asyncMap { try await shop.product(sku: $0) }
        #expect(!alternatives.isEmpty)
        #expect(alternatives.allSatisfy { $0?.inStock == true && $0?.category == "Műszaki|Okosórák" })
    }

    @Test("a shop's expected-arrival parameter is told")
    func expectedDate() async throws {
        let product = Product(
            id: "1", sku: "X-1", name: "Példa kávéfőző", descriptionText: "", price: 10_000, category: "Háztartás|Kávéfőzők", brand: "Példa",
            stock: 0, parameters: [.init(name: "Várható érkezés", value: "december 15-én")])
        let shop = UNASWebshop(catalog: Catalog(), client: nil)
        _ = shop.catalog.replace([product])
        let graph = try EmbeddedAgents.graph(resources: try await AgentResources.load(directory: AgentHarness.templates), webshop: shop)
        var dialogue = Dialogue(graph)
        let answer = try await dialogue.say("Példa kávéfőző")
        #expect(answer.replies.compactMap(\.text).joined().contains("Várhatóan december 15-én érkezik újra."))
    }
}

extension Sequence {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
